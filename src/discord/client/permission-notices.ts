import type { AnyThreadChannel } from 'discord.js';
import type { SharedOnce } from '../../concurrency/shared-limits.js';
import type { Logger } from '../../log/logger.js';
import { NO_MENTIONS } from './create-discord-client.js';

// Told again after a week: a moderator who never fixed it gets one reminder a week at most.
const TOLD_FOR_MS = 7 * 24 * 60 * 60 * 1_000;

/** Tells a thread's parent channel, once per thread, that the bot lost the right to post in the thread. */
export type PermissionNotices = { notify(thread: AnyThreadChannel): void };

export function createPermissionNotices(logger: Logger, once: SharedOnce): PermissionNotices {
	const tell = async (thread: AnyThreadChannel): Promise<void> => {
		// Once, not once per reply, and once for every process: later messages there would otherwise repeat it.
		if (!(await once.first(`no-permission:${thread.id}`, TOLD_FOR_MS))) return;
		const content =
			`⚠️ I cannot post in <#${thread.id}> any more: I need the View Channel and Send Messages in Threads ` +
			'permissions there. A moderator can give them back in the channel settings.';
		const parent = thread.parent;
		if (!parent?.isSendable()) return;
		await parent.send({ content, allowedMentions: NO_MENTIONS });
	};
	return {
		notify(thread) {
			tell(thread).catch((error: unknown) => {
				logger.warn({ err: error, threadId: thread.id }, 'could not report a missing permission');
			});
		},
	};
}
