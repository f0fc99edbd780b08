import type { AnyThreadChannel } from 'discord.js';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../log/logger.js';
import { NO_MENTIONS } from './create-discord-client.js';

const TOLD_MAX = 10_000;

/** Tells a thread's parent channel, once per thread, that the bot lost the right to post in the thread. */
export type PermissionNotices = { notify(thread: AnyThreadChannel): void };

export function createPermissionNotices(logger: Logger): PermissionNotices {
	// Bounded: a thread pushed out by many newer ones is at worst reported once more.
	const told = new LRUCache<string, true>({ max: TOLD_MAX });
	return {
		notify(thread) {
			// Once, not once per reply: every later message there would otherwise repeat it.
			if (told.has(thread.id)) return;
			told.set(thread.id, true);
			const content =
				`⚠️ I cannot post in <#${thread.id}> any more: I need the View Channel and Send Messages in Threads ` +
				'permissions there. A moderator can give them back in the channel settings.';
			const parent = thread.parent;
			if (!parent?.isSendable()) return;
			parent.send({ content, allowedMentions: NO_MENTIONS }).catch((error: unknown) => {
				logger.warn({ err: error, threadId: thread.id }, 'could not report a missing permission');
			});
		},
	};
}
