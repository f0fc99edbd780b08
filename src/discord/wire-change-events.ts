import type { Client } from 'discord.js';
import { Events } from 'discord.js';
import type { ActiveReplies } from '../chat/active-replies.js';
import { closeArchivedThread } from '../chat/close-archived-thread.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import { createMessageChangeHandlers } from './on-message-change.js';

export type ChangeEventDeps = {
	readonly store: SessionStore;
	readonly activeReplies: ActiveReplies;
	/** Marks a deleted thread's session and deletes its stored conversation (see forgetDeletedThread). */
	readonly forgetDeletedThread: (threadId: string) => Promise<unknown>;
	readonly logger: Logger;
};

/** Discord events that change what the bot stored or is writing: edits, deletions, threads closing. */
export function wireChangeEvents(client: Client, deps: ChangeEventDeps): void {
	const messages = createMessageChangeHandlers(deps);
	const forget = (threadId: string): void => {
		if (!deps.store.getSession(threadId)) return;
		deps
			.forgetDeletedThread(threadId)
			.then((deleted) => {
				deps.logger.info({ threadId, deleted }, 'thread deleted: its conversation is forgotten');
			})
			.catch((error: unknown) => {
				deps.logger.error({ err: error, threadId }, 'could not forget a deleted thread');
			});
	};
	client.on(Events.MessageUpdate, (_old, message) => {
		messages.onUpdate(message);
	});
	client.on(Events.MessageDelete, (message) => {
		messages.onDelete(message);
	});
	client.on(Events.MessageBulkDelete, (deleted) => {
		for (const message of deleted.values()) messages.onDelete(message);
	});
	client.on(Events.ThreadDelete, (thread) => {
		forget(thread.id);
	});
	client.on(Events.ThreadUpdate, (before, after) => {
		if (after.archived === true && before.archived !== true && closeArchivedThread(deps, after.id)) {
			deps.logger.info({ threadId: after.id, reason: 'archived' }, 'reply stopped: thread closed');
		}
	});
	client.on(Events.ChannelDelete, (channel) => {
		// Its threads go with it; Discord sends no THREAD_DELETE for them.
		for (const session of deps.store.sessionsIn(channel.id)) forget(session.threadId);
	});
}
