import { InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { NO_MENTIONS } from '../discord/client/create-discord-client.js';
import { followUpLikeReply } from '../discord/targets/follow-up-like-reply.js';
import type { Command } from './command.js';
import { countOf } from './count-of.js';
import type { ExportFile } from './export-files.js';
import { exportBaseName, exportFiles, withSummary } from './export-files.js';
import { requireMemberPermissions, requireSessionThread } from './guards.js';

// Discord's upload limit for servers without boosts; the interaction tells the actual one.
const DEFAULT_ATTACHMENT_LIMIT = 8 * 1024 * 1024;

export const exportCommand = {
	data: {
		name: 'export',
		description: 'Download the conversation of this thread as a JSONL file (one message per line)',
		contexts: [InteractionContextType.Guild],
	},
	async execute(interaction, deps) {
		const { thread } = await requireSessionThread(interaction, deps.sessions);
		requireMemberPermissions(interaction, [PermissionFlagsBits.ReadMessageHistory], 'export its conversation');
		const turns = await deps.sessions.listTurns(thread.id, { includeExcluded: true });
		if (turns.length === 0) {
			await interaction.editReply('There is nothing to export yet.');
			return;
		}
		deps.logger.info({ threadId: thread.id, userId: interaction.user.id, turns: turns.length }, 'export');
		const maxBytes = interaction.attachmentSizeLimit > 0 ? interaction.attachmentSizeLimit : DEFAULT_ATTACHMENT_LIMIT;
		const withFiles = [];
		for (const turn of turns) {
			withFiles.push(turn.attachmentCount > 0 ? { ...turn, attachments: await deps.attachments.of(turn.id) } : turn);
		}
		const summary = await deps.summaries.summaryOf(thread.id);
		const entries = withSummary(withFiles, summary);
		const files = exportFiles(entries, { baseName: exportBaseName(thread.name, thread.id), maxBytes });
		const excluded = turns.filter((turn) => turn.excludedAt !== undefined).length;
		const lines = [`The conversation in <#${thread.id}>: ${countOf(turns.length, 'message')}, oldest first.`];
		if (excluded > 0) {
			lines.push(
				`${countOf(excluded, 'message')} that /reset or /rewind took out of my context are marked \`"excluded": true\`.`,
			);
		}
		if (summary) {
			lines.push(
				`My summary of the ${countOf(summary.turnCount, 'oldest message')} (what I remember of them) follows the last of them, as \`"role": "summary"\`.`,
			);
		}
		if (files.length > 1) {
			const mebibytes = Math.floor(maxBytes / 1024 / 1024);
			lines.push(
				`It is larger than the ${mebibytes} MiB upload limit here, so it comes in ${files.length} files; join them in order.`,
			);
		}
		const [first, ...rest] = files;
		await interaction.editReply({
			content: lines.join('\n'),
			files: first ? [attachment(first)] : [],
			allowedMentions: NO_MENTIONS,
		});
		for (const [index, file] of rest.entries()) {
			await followUpLikeReply(interaction, {
				content: `Part ${index + 2} of ${files.length}`,
				files: [attachment(file)],
			});
		}
	},
} satisfies Command;

function attachment(file: ExportFile) {
	return { attachment: file.data, name: file.name };
}
