import { ReplyTargetGone } from '../reply/reply-target.js';
import type { KeyedLock } from '../concurrency/keyed-lock.js';
import type { Logger } from '../log/logger.js';
import type { Session } from '../domain/session.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { MissedMessage, RecoveryPort } from './recovery-port.js';

// 100 messages per request: enough for any thread the bot was away from for a day, without reading forever.
const MAX_PAGES = 10;

export type CatchUpDeps = {
	readonly store: SessionStore;
	readonly discord: RecoveryPort;
	readonly logger: Logger;
	/** The message intake's lock: live messages of a thread wait while the ones missed there are stored first. */
	readonly intake: KeyedLock;
	/** Whether this process runs the shard of the server (another process catches up on the rest). */
	readonly ownsGuild: (guildId: string) => boolean;
	/** CATCH_UP_WINDOW in ms; 0 turns catch-up off. */
	readonly windowMs: number;
	readonly now?: () => number;
};

/**
 * After a start, reads what members wrote in bot threads while the bot was away (threads active within the
 * window), stores it in Discord order, and answers each thread once: its latest question, if it has no answer
 * yet (or one cut short by a crash or a shutdown) and is not older than the window. Returns the threads answered.
 */
export async function catchUp(
	deps: CatchUpDeps,
	onThreadGone: (threadId: string, error: ReplyTargetGone) => void,
): Promise<number> {
	if (deps.windowMs <= 0) return 0;
	const since = (deps.now ?? Date.now)() - deps.windowMs;
	let answered = 0;
	for (const session of await deps.store.activeSessions(since)) {
		if (!deps.ownsGuild(session.guildId)) continue;
		try {
			const { stored, latest } = await deps.intake.run(session.threadId, async () => ({
				stored: await storeMissedMessages(deps, session),
				latest: await deps.store.latestUserTurn(session.threadId),
			}));
			if (!latest || latest.createdAt < since || (await deps.store.hasFinishedAnswer(latest.id))) continue;
			deps.logger.info({ threadId: session.threadId, missed: stored, turnId: latest.id }, 'catching up');
			answered += 1;
			// Not awaited: the answers go through the queue together, each in its own thread's order.
			void deps.discord.answer(session, latest).catch((error: unknown) => {
				deps.logger.error({ err: error, threadId: session.threadId }, 'catch-up answer failed');
			});
		} catch (error) {
			if (error instanceof ReplyTargetGone) onThreadGone(session.threadId, error);
			else deps.logger.warn({ err: error, threadId: session.threadId }, 'catch-up failed for a thread');
		}
	}
	return answered;
}

async function storeMissedMessages(deps: CatchUpDeps, session: Session): Promise<number> {
	let after = (await deps.store.lastMemberMessageId(session.threadId)) ?? session.threadId;
	let stored = 0;
	for (let page = 0; page < MAX_PAGES; page += 1) {
		const messages = await deps.discord.messagesAfter(session.threadId, after);
		for (const message of messages) {
			if (!isQuestion(message, session)) continue;
			const turn = await deps.store.appendUserTurn({
				threadId: session.threadId,
				authorId: message.authorId,
				authorName: message.authorName,
				content: message.content,
				discordMessageId: message.id,
				createdAt: message.createdAt,
			});
			if (turn) stored += 1;
		}
		const last = messages.at(-1);
		if (!last || messages.length < 100) break;
		after = last.id;
	}
	return stored;
}

/** The same rule as live messages: in threads the bot started every member message, elsewhere mentions only. */
function isQuestion(message: MissedMessage, session: Session): boolean {
	return !message.fromBot && message.content !== '' && (session.owned || message.mentionsBot);
}
