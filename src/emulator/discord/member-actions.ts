import { MESSAGE_CONTENT_LIMIT, publishDelete, publishMessage } from './message-body.js';
import { isThread, type FakeState } from './state.js';
import { removeChannel, setThreadArchived } from './thread-lifecycle.js';
import type { FakeChannel, FakeDiscord, StoredMessage } from './types.js';

export type MemberActions = Pick<FakeDiscord, 'userEdits' | 'userDeletes' | 'deleteThread' | 'archiveThread'>;

function liveMessage(state: FakeState, messageId: string): StoredMessage {
	const message = state.messages.get(messageId);
	if (!message || message.deleted) throw new Error(`fake-discord: no live message ${messageId}`);
	return message;
}

function thread(state: FakeState, threadId: string): FakeChannel {
	const channel = state.channels.get(threadId);
	if (!channel || !isThread(channel)) throw new Error(`fake-discord: unknown thread ${threadId}`);
	return channel;
}

/** What members and moderators do in the Discord client, dispatched to the bot as Discord would. */
export function memberActions(state: FakeState): MemberActions {
	return {
		userEdits(messageId, content) {
			const message = liveMessage(state, messageId);
			if (content.length > MESSAGE_CONTENT_LIMIT) throw new Error('fake-discord: content over 2000 characters');
			message.content = content;
			message.versions.push(content);
			message.allowedMentions.push(undefined);
			message.editedAt = Date.now();
			publishMessage(state, message, 'MESSAGE_UPDATE');
			return message;
		},
		userDeletes(messageId) {
			publishDelete(state, liveMessage(state, messageId));
		},
		deleteThread(threadId) {
			removeChannel(state, thread(state, threadId));
		},
		archiveThread(threadId, options) {
			const target = thread(state, threadId);
			setThreadArchived(state, target, true, options?.locked ?? target.locked);
		},
	};
}
