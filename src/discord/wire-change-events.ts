import type { Client } from 'discord.js';
import { Events } from 'discord.js';
import type { ActiveReplies } from '../chat/active-replies.js';
import { closeThread } from '../chat/close-thread.js';
import type { Logger } from '../logger.js';
import type { SessionStore } from '../store/session-store.js';
import { createMessageChangeHandlers } from './on-message-change.js';

/** Discord events that change what the bot stored or is writing: edits, deletions, threads closing. */
export function wireChangeEvents(
	client: Client,
	deps: { readonly store: SessionStore; readonly activeReplies: ActiveReplies; readonly logger: Logger },
): void {
	const messages = createMessageChangeHandlers(deps);
	const close = (threadId: string, reason: 'deleted' | 'archived'): void => {
		if (closeThread(deps, threadId, reason)) deps.logger.info({ threadId, reason }, 'reply stopped: thread closed');
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
		close(thread.id, 'deleted');
	});
	client.on(Events.ThreadUpdate, (before, after) => {
		if (after.archived === true && before.archived !== true) close(after.id, 'archived');
	});
	client.on(Events.ChannelDelete, (channel) => {
		// Its threads go with it; Discord sends no THREAD_DELETE for them.
		for (const reply of deps.activeReplies.list()) {
			if (deps.store.getSession(reply.threadId)?.parentChannelId === channel.id) close(reply.threadId, 'deleted');
		}
	});
}
