import type { EditableMessage, MessageState, ReplyTarget } from '../../src/reply/reply-target.js';

export type RecordedWrite = { kind: 'send' | 'edit'; messageIndex: number; state: MessageState; at: number };

/** A ReplyTarget that records every send and edit, with optional failures and latency. */
export function createFakeReplyTarget(options: { latencyMs?: number; failEdits?: boolean } = {}) {
	const writes: RecordedWrite[] = [];
	const messages: MessageState[] = [];
	let typingCount = 0;
	const wait = () =>
		options.latencyMs ? new Promise((resolve) => setTimeout(resolve, options.latencyMs)) : Promise.resolve();

	const target: ReplyTarget = {
		channelId: 'fake-channel',
		async send(state) {
			await wait();
			const messageIndex = messages.push(state) - 1;
			writes.push({ kind: 'send', messageIndex, state, at: Date.now() });
			const message: EditableMessage = {
				id: `m${messageIndex}`,
				async edit(next) {
					await wait();
					if (options.failEdits) throw new Error('edit failed');
					messages[messageIndex] = next;
					writes.push({ kind: 'edit', messageIndex, state: next, at: Date.now() });
				},
				async delete() {
					await wait();
					messages[messageIndex] = { content: '', live: false };
				},
			};
			return message;
		},
		async sendTyping() {
			typingCount += 1;
			await Promise.resolve();
		},
	};
	return {
		target,
		writes,
		contents: () => messages.map((message) => message.content),
		get typingCount() {
			return typingCount;
		},
	};
}
