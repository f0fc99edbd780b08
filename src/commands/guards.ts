import type { AnyThreadChannel } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';
import type { AccessGate } from '../access/access-gate.js';
import { accessRequest } from '../discord/reading/access-request.js';
import { MODERATOR_PERMISSION } from '../discord/client/moderator-permission.js';
import type { Session } from '../domain/session.js';
import type { SessionStore } from '../store/ports/session-store.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { CommandDeps, GuildCommandInteraction } from './command.js';
import type { CapTicket } from '../access/member-cap.js';
import { queueFullText } from '../access/member-cap.js';

export function requireModerator(interaction: GuildCommandInteraction): void {
	// Discord hides the command from members without the permission, but server admins can override that.
	if (!interaction.memberPermissions.has(MODERATOR_PERMISSION)) {
		throw new UserFacingError('You need the Manage Channels permission to use this command.');
	}
}

/** A moderator's command: the channel (or thread) it was used in. */
export function requireModeratedChannel(
	interaction: GuildCommandInteraction,
): NonNullable<GuildCommandInteraction['channel']> {
	requireModerator(interaction);
	const { channel } = interaction;
	if (!channel) throw new UserFacingError('I cannot see this channel.');
	return channel;
}

/** The thread the command was used in, and its conversation with the bot. */
export async function requireSessionThread(
	interaction: GuildCommandInteraction,
	sessions: SessionStore,
): Promise<{ thread: AnyThreadChannel; session: Session }> {
	const { channel } = interaction;
	const session = channel?.isThread() ? await sessions.getSession(channel.id) : undefined;
	if (!channel?.isThread() || !session) {
		throw new UserFacingError('This command only works inside a thread where I am chatting.');
	}
	return { thread: channel, session };
}

/** The session thread the command was used in, if the member may control it (`action`: "reset it"). */
export async function requireControllableThread(
	interaction: GuildCommandInteraction,
	sessions: SessionStore,
	action: string,
): Promise<AnyThreadChannel> {
	const { thread } = await requireSessionThread(interaction, sessions);
	if (!(await canControlThread(sessions, thread.id, interaction.user.id, interaction.memberPermissions))) {
		throw new UserFacingError(notAllowedToControl(action));
	}
	return thread;
}

/**
 * The member who started the thread, or one who may manage threads here, may change what the bot remembers of it
 * (`action`: "rewind it"); others taking part may not undo their conversation.
 */
export async function requireThreadOwner(
	interaction: GuildCommandInteraction,
	sessions: SessionStore,
	action: string,
): Promise<{ thread: AnyThreadChannel; session: Session }> {
	const found = await requireSessionThread(interaction, sessions);
	const isCreator = found.session.creatorId === interaction.user.id;
	if (!isCreator && !interaction.memberPermissions.has(PermissionFlagsBits.ManageThreads)) {
		throw new UserFacingError(
			`Only the member who started this thread, or someone who can manage threads, can ${action}.`,
		);
	}
	return found;
}

const PERMISSION_NAMES = new Map<bigint, string>([
	[PermissionFlagsBits.SendMessages, 'Send Messages'],
	[PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
	[PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
	[PermissionFlagsBits.AttachFiles, 'Attach Files'],
	[PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
]);

/**
 * The member's own permissions in the channel where the command was used (Discord resolves them with the channel's
 * overwrites): the bot only does for a member what the member could do there (`purpose`: "post it here").
 */
export function requireMemberPermissions(
	interaction: GuildCommandInteraction,
	permissions: readonly bigint[],
	purpose: string,
): void {
	const missing = permissions.filter((permission) => !interaction.memberPermissions.has(permission));
	if (missing.length === 0) return;
	const names = missing.map((permission) => PERMISSION_NAMES.get(permission) ?? String(permission));
	const list = names.length === 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
	throw new UserFacingError(
		`You need the ${list} permission${names.length === 1 ? '' : 's'} in this channel to ${purpose}.`,
	);
}

/** Posting a message where the command was used: Send Messages, or Send Messages in Threads in a thread. */
export function sendPermission(interaction: GuildCommandInteraction): bigint {
	return interaction.channel?.isThread() === true
		? PermissionFlagsBits.SendMessagesInThreads
		: PermissionFlagsBits.SendMessages;
}

/** A place under GEMINI_USER_QUEUE_MAX for a command that calls the model; refused with the usual line. */
export async function enterCap(deps: Pick<CommandDeps, 'cap'>, memberId: string): Promise<CapTicket> {
	const ticket = await deps.cap.enter(memberId);
	if (!ticket) throw new UserFacingError(queueFullText(deps.cap.max));
	return ticket;
}

export function notAllowedToControl(action: string): string {
	return `Only people taking part in this thread (or who can manage threads) can ${action}.`;
}

/** Members who started or wrote in the thread, and those who may manage threads, may control its replies. */
export async function canControlThread(
	sessions: SessionStore,
	threadId: string,
	userId: string,
	permissions: Readonly<{ has(permission: bigint): boolean }>,
): Promise<boolean> {
	return permissions.has(PermissionFlagsBits.ManageThreads) || (await sessions.isParticipant(threadId, userId));
}

/**
 * A command that calls the model: refused where moderators switched the bot off or require a role (for `starting`
 * a conversation), and once the member's or the server's daily tokens are used.
 */
export async function requireAccess(
	interaction: GuildCommandInteraction,
	access: AccessGate,
	starting: boolean,
): Promise<void> {
	const { channel } = interaction;
	if (!channel) return;
	const decision = await access.check(accessRequest(interaction.member, interaction.user.id, channel, starting));
	if (!decision.allowed) throw new UserFacingError(decision.text);
}
