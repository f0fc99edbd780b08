import type { AnyThreadChannel } from 'discord.js';
import type { Turn } from '../../chat/respond.js';
import type { StoredTurn } from '../../domain/turn.js';
import { createChannelReplyTarget } from '../targets/channel-reply-target.js';
import { conversationContext } from '../reading/conversation-context.js';
import type { PermissionNotices } from '../client/permission-notices.js';

/** A member's stored turn in an existing thread, ready to be answered there. */
export function threadTurn(
	thread: AnyThreadChannel,
	userTurn: StoredTurn,
	options: { readonly owned: boolean; readonly notices: PermissionNotices },
): Turn {
	// In threads the bot did not start, the answer replies to the message it answers.
	const replyTo = options.owned ? undefined : userTurn.discordMessageId;
	const target = createChannelReplyTarget(thread, {
		stopButtonFor: thread.id,
		...(replyTo === undefined ? {} : { replyTo }),
	});
	return {
		botId: thread.client.user.id,
		userTurn,
		openTarget: () => Promise.resolve(target),
		context: conversationContext(thread.guild, thread.parent?.name ?? thread.name, thread.name),
		onGone: (reason) => {
			if (reason === 'forbidden') options.notices.notify(thread);
		},
	};
}
