import type { Message } from 'discord.js';
import { ChannelType } from 'discord.js';
import type { AccessGate } from '../../access/access-gate.js';
import type { MemberCap } from '../../access/member-cap.js';
import type { KeyedLock } from '../../concurrency/keyed-lock.js';
import type { Responder } from '../../chat/respond.js';
import type { Logger } from '../../log/logger.js';
import type { SessionStore } from '../../store/ports/session-store.js';
import type { AttachFilesDeps } from '../reading/attach-files.js';
import { isStoreUnavailable } from '../../store/ports/store-unavailable.js';
import { databaseDownReply } from './database-down.js';
import { isMissingPermission } from '../client/is-missing-permission.js';
import type { Work } from './message-intake.js';
import { replyShort } from './message-intake.js';
import { mentionMessage } from './mention-message.js';
import type { PermissionNotices } from '../client/permission-notices.js';
import type { RedrawDeps } from './redraw-reply.js';
import { threadMessage } from './thread-message.js';
import type { WriteBudget } from '../../reply/write-budget.js';

export type MessageHandlerDeps = {
	readonly store: SessionStore;
	readonly responder: Responder;
	/**
	 * One message of a channel at a time until it is stored and its answer queued: turns keep Discord's order, two
	 * messages racing in a thread are each answered once and in order, and an edit or deletion (which takes the same
	 * lock) finds its message stored. Shared with the change events.
	 */
	readonly intake: KeyedLock;
	/** /settings enabled and role, and the daily token budgets. */
	readonly access: AccessGate;
	/** Calls one member may have waiting for an answer (USER_QUEUE_MAX), counted across every path. */
	readonly cap: MemberCap;
	readonly notices: PermissionNotices;
	/** Thread creation counts against Discord's global limit like the reply's own writes. */
	readonly budget: WriteBudget;
	/** Where members' files are downloaded from and stored. */
	readonly files: AttachFilesDeps;
	/** For replies to pictures the bot drew. */
	readonly redraw: RedrawDeps;
	readonly logger: Logger;
};

const GENERIC_FAILURE_REPLY = 'Sorry, something went wrong on my side. Please try again.';
const NO_THREAD_PERMISSION_REPLY =
	'I could not start a thread here: I need the Create Public Threads and Send Messages in Threads permissions in this channel.';

/**
 * A mention in a text channel starts a bot thread; every message in a bot thread continues it; in other threads
 * (members' threads, forum posts) only mentions are answered. A member's message is stored before anything else of
 * its thread happens and before the model is called. Never rejects.
 */
export function createMessageHandler(deps: MessageHandlerDeps): (message: Message) => Promise<void> {
	function intake(message: Message<true>): Promise<Work | undefined> {
		const { channel } = message;
		if (channel.isThread()) return threadMessage(deps, message, channel);
		const mentioned = message.mentions.users.has(message.client.user.id);
		if (!mentioned) return Promise.resolve(undefined);
		if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
			return Promise.resolve(undefined);
		}
		return mentionMessage(deps, message, channel);
	}

	return async (message) => {
		if (message.author.bot || message.system || !message.inGuild()) return;
		try {
			const work = await deps.intake.run(message.channelId, () => intake(message));
			await work?.done;
		} catch (error) {
			const context = { err: error, messageId: message.id, channelId: message.channelId };
			const unavailable = isStoreUnavailable(error);
			if (unavailable) deps.logger.warn(context, 'message not taken in: the database is unavailable');
			else deps.logger.error(context, 'message handling failed');
			const content = unavailable
				? databaseDownReply(message)
				: isMissingPermission(error)
					? NO_THREAD_PERMISSION_REPLY
					: GENERIC_FAILURE_REPLY;
			await replyShort(message, content).done.catch((replyError: unknown) => {
				deps.logger.warn({ err: replyError }, 'could not report the failure');
			});
		}
	};
}
