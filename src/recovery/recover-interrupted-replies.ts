import { joinParts } from '../reply/join-parts.js';
import { ReplyTargetGone } from '../reply/reply-target.js';
import { DISCORD_MESSAGE_LIMIT } from '../reply/split-message.js';
import { withNote } from '../reply/reply-text.js';
import type { Logger } from '../log/logger.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { StoredTurn } from '../domain/turn.js';
import type { RecoveryPort } from './recovery-port.js';

export const INTERRUPTED_NOTE = 'The bot restarted before finishing this answer.';
export const NOT_STARTED_NOTE = 'The bot restarted before it could answer.';

/**
 * Replies a crashed process left 'streaming' become 'partial' (errorCode 'interrupted'), with the text members saw
 * (read back from Discord; the stored text trails it by a few seconds), and their last message carries a note
 * instead of a live Stop button. Their questions count as unanswered, so the catch-up answers them again.
 */
export async function recoverInterruptedReplies(
	deps: {
		readonly store: SessionStore;
		readonly discord: RecoveryPort;
		readonly logger: Logger;
		/** Whether this process runs the shard of the server: another process closes the rest. */
		readonly ownsGuild: (guildId: string) => boolean;
	},
	onThreadGone: (threadId: string, error: ReplyTargetGone) => void,
): Promise<number> {
	const interrupted = [];
	for (const turn of await deps.store.streamingReplies()) {
		const session = await deps.store.getSession(turn.threadId);
		if (session === undefined || deps.ownsGuild(session.guildId)) interrupted.push(turn);
	}
	for (const turn of interrupted) {
		let content = turn.content;
		try {
			content = await closeOnDiscord(deps.discord, turn);
		} catch (error) {
			if (error instanceof ReplyTargetGone) onThreadGone(turn.threadId, error);
			else deps.logger.warn({ err: error, threadId: turn.threadId }, 'could not mark an interrupted reply');
		}
		await deps.store.finishReply(turn.id, {
			content,
			replyMessageIds: turn.replyMessageIds,
			status: 'partial',
			finishReason: undefined,
			errorCode: 'interrupted',
			model: turn.model ?? '',
			usage: turn.usage,
		});
	}
	if (interrupted.length > 0) deps.logger.info({ count: interrupted.length }, 'interrupted replies closed');
	return interrupted.length;
}

/** Adds the note to the reply's last message and returns the answer text it shows. */
async function closeOnDiscord(discord: RecoveryPort, turn: StoredTurn): Promise<string> {
	const ids = turn.replyMessageIds;
	const last = ids.at(-1);
	if (last === undefined) return turn.content;
	const shown = await discord.readReply(turn.threadId, ids);
	const parts = shown.filter((part): part is string => part !== undefined);
	// No text saved means only a status line ("waiting for my turn") was showing: there is no answer text.
	const text = turn.content === '' ? '' : rebuild(parts, turn.content);
	const lastShown = shown.at(-1);
	if (lastShown === undefined) {
		await discord.post(turn.threadId, `⚠️ ${INTERRUPTED_NOTE}`);
		return text;
	}
	const closed = text === '' ? `⚠️ ${NOT_STARTED_NOTE}` : withNote(lastShown, INTERRUPTED_NOTE);
	if (closed.length <= DISCORD_MESSAGE_LIMIT) await discord.closeReply(turn.threadId, last, closed);
	else {
		await discord.closeReply(turn.threadId, last, lastShown);
		await discord.post(turn.threadId, `⚠️ ${INTERRUPTED_NOTE}`);
	}
	return text;
}

function rebuild(parts: readonly string[], stored: string): string {
	try {
		const joined = joinParts(parts);
		// A message a moderator deleted leaves a hole: then the stored text is the better record.
		return joined.length >= stored.length ? joined : stored;
	} catch {
		return stored;
	}
}
