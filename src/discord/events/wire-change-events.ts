import type { Client, Message, PartialMessage } from 'discord.js';
import { Events } from 'discord.js';
import type { ActiveReplies } from '../../chat/active-replies.js';
import type { KeyedLock } from '../../concurrency/keyed-lock.js';
import { closeArchivedThread } from '../../chat/close-archived-thread.js';
import type { Logger } from '../../log/logger.js';
import type { SessionStore } from '../../store/ports/session-store.js';
import { createMessageChangeHandlers } from './on-message-change.js';

export type ChangeEventDeps = {
	readonly store: SessionStore;
	readonly activeReplies: ActiveReplies;
	/** The message intake's lock: a change waits until the message it is about has been stored. */
	readonly intake: KeyedLock;
	/** Marks a deleted thread's session and deletes its stored conversation (see forgetDeletedThread). */
	readonly forgetDeletedThread: (threadId: string) => Promise<unknown>;
	readonly logger: Logger;
};

/** Discord events that change what the bot stored or is writing: edits, deletions, threads closing. */
export function wireChangeEvents(client: Client, deps: ChangeEventDeps): void {
	const messages = createMessageChangeHandlers(deps);
	const forget = async (threadId: string): Promise<void> => {
		if (!(await deps.store.getSession(threadId))) return;
		const deleted = await deps.forgetDeletedThread(threadId);
		deps.logger.info({ threadId, deleted }, 'thread deleted: its conversation is forgotten');
	};
	const forgetting = (threadIds: () => Promise<readonly string[]>, channelId: string): void => {
		threadIds()
			.then((ids) => Promise.all(ids.map(forget)))
			.catch((error: unknown) => {
				deps.logger.error({ err: error, channelId }, 'could not forget a deleted thread');
			});
	};
	const changed = (message: Message | PartialMessage, handle: () => Promise<void>): void => {
		void deps.intake.run(message.channelId, handle);
	};
	client.on(Events.MessageUpdate, (_old, message) => {
		changed(message, () => messages.onUpdate(message));
	});
	client.on(Events.MessageDelete, (message) => {
		changed(message, () => messages.onDelete(message));
	});
	client.on(Events.MessageBulkDelete, (deleted) => {
		for (const message of deleted.values()) changed(message, () => messages.onDelete(message));
	});
	client.on(Events.ThreadDelete, (thread) => {
		forgetting(() => Promise.resolve([thread.id]), thread.id);
	});
	client.on(Events.ThreadUpdate, (before, after) => {
		if (after.archived === true && before.archived !== true && closeArchivedThread(deps, after.id)) {
			deps.logger.info({ threadId: after.id, reason: 'archived' }, 'reply stopped: thread closed');
		}
	});
	client.on(Events.ChannelDelete, (channel) => {
		// Its threads go with it; Discord sends no THREAD_DELETE for them.
		forgetting(async () => (await deps.store.sessionsIn(channel.id)).map((session) => session.threadId), channel.id);
	});
}
