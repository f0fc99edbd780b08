import { randomBytes } from 'node:crypto';
import type { APIActionRowComponent, APIComponentInMessageActionRow, ButtonInteraction } from 'discord.js';
import { ButtonStyle, ComponentType, InteractionContextType, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../discord/client/create-discord-client.js';
import { ModelError } from '../llm/model-error.js';
import type { ForgetThreadDeps } from '../chat/forget-thread.js';
import { forgetThread } from '../chat/forget-thread.js';
import type { ForgetCounts } from '../store/ports/forget-store.js';
import type { ButtonHandler, Command, CommandDeps, GuildCommandInteraction } from './command.js';
import { countOf } from './count-of.js';
import { requireThreadOwner } from './guards.js';

// Not `stop:`, the Stop button's prefix: buttons are dispatched by prefix.
export const FORGET_BUTTON_PREFIX = 'forget:';
const CONFIRMATION_TTL_MS = 2 * 60_000;

const NOT_REQUESTER = 'Only the member who asked can confirm.';
const EXPIRED = 'This confirmation has expired, and nothing was deleted. Run /forget again.';
const CANCELLED = 'Cancelled: nothing was deleted.';

export const forgetCommand = {
	data: {
		name: 'forget',
		description: 'Delete everything I stored about this thread (the thread itself stays)',
		contexts: [InteractionContextType.Guild],
	},
	async execute(interaction: GuildCommandInteraction, deps: CommandDeps) {
		const { thread } = await requireThreadOwner(interaction, deps.sessions, 'make me forget it');
		const stored = await deps.forget.count(thread.id);
		if (stored.messages === 0 && !stored.summary) {
			await interaction.editReply('I have nothing stored about this thread.');
			return;
		}
		const nonce = randomBytes(12).toString('base64url');
		await interaction.editReply({
			content: `This deletes everything I stored about this thread: ${describe(stored)}. The thread itself stays in Discord. This cannot be undone.`,
			components: [confirmationRow(nonce)],
			allowedMentions: NO_MENTIONS,
		});
		const pending = { threadId: thread.id, userId: interaction.user.id };
		deps.forgetConfirmations.open(nonce, pending, CONFIRMATION_TTL_MS, () => {
			interaction
				.editReply({ content: EXPIRED, components: [], allowedMentions: NO_MENTIONS })
				.catch((error: unknown) => {
					deps.logger.debug({ err: error, threadId: thread.id }, 'could not expire a /forget confirmation');
				});
		});
	},
} satisfies Command;

export const forgetButton = {
	prefix: FORGET_BUTTON_PREFIX,
	async execute(interaction: ButtonInteraction<'cached'>, deps: CommandDeps) {
		const [action, nonce = ''] = interaction.customId.slice(FORGET_BUTTON_PREFIX.length).split(':');
		const confirmation = deps.forgetConfirmations.get(nonce);
		if (!confirmation) {
			await interaction.update({ content: EXPIRED, components: [], allowedMentions: NO_MENTIONS });
			return;
		}
		if (confirmation.userId !== interaction.user.id) {
			await interaction.reply({ content: NOT_REQUESTER, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
			return;
		}
		deps.forgetConfirmations.settle(nonce);
		if (action !== 'delete') {
			await interaction.update({ content: CANCELLED, components: [], allowedMentions: NO_MENTIONS });
			return;
		}
		// Acknowledge first: waiting for a reply being written to stop can take longer than Discord's 3 seconds.
		await interaction.deferUpdate();
		const { threadId } = confirmation;
		const stopWith = new ModelError('stopped', `Stopped by ${interaction.member.displayName}.`);
		const exclusive: ForgetThreadDeps['exclusive'] = (id, task) => deps.responder.exclusive(id, task);
		const deleted = await forgetThread({ ...deps, exclusive }, threadId, stopWith);
		deps.logger.info(
			{ threadId, userId: interaction.user.id, messages: deleted.messages, files: deleted.files },
			'forget',
		);
		await interaction.editReply({
			content: `Deleted: ${describe(deleted)}.`,
			components: [],
			allowedMentions: NO_MENTIONS,
		});
	},
} satisfies ButtonHandler;

function confirmationRow(nonce: string): APIActionRowComponent<APIComponentInMessageActionRow> {
	return {
		type: ComponentType.ActionRow,
		components: [
			{
				type: ComponentType.Button,
				style: ButtonStyle.Danger,
				label: 'Delete',
				custom_id: `${FORGET_BUTTON_PREFIX}delete:${nonce}`,
			},
			{
				type: ComponentType.Button,
				style: ButtonStyle.Secondary,
				label: 'Cancel',
				custom_id: `${FORGET_BUTTON_PREFIX}cancel:${nonce}`,
			},
		],
	};
}

function describe(counts: ForgetCounts): string {
	const parts = [countOf(counts.messages, 'message'), countOf(counts.files, 'file')];
	if (counts.summary) parts.push('the summary');
	const last = parts.pop() ?? '';
	return parts.length === 0 ? last : `${parts.join(', ')} and ${last}`;
}
