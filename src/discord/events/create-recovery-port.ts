import type { AnyThreadChannel, Client, Message } from 'discord.js';
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { AccessGate } from '../../access/access-gate.js';
import type { MemberCap } from '../../access/member-cap.js';
import { queueFullText } from '../../access/member-cap.js';
import type { Responder } from '../../chat/respond.js';
import type { RecoveryPort } from '../../recovery/recovery-port.js';
import type { Session } from '../../domain/session.js';
import { accessRequest } from '../reading/access-request.js';
import { NO_MENTIONS } from '../client/create-discord-client.js';
import { writeOrGone } from '../targets/gone-reason.js';
import type { PermissionNotices } from '../client/permission-notices.js';
import { displayName, readText } from '../reading/read-text.js';
import { ReplyTargetGone } from '../../reply/reply-target.js';
import { threadTurn } from './thread-turn.js';

/** Start-up recovery's view of Discord, over the logged-in client. */
export function createRecoveryPort(deps: {
	readonly client: Client<true>;
	readonly responder: Responder;
	readonly notices: PermissionNotices;
	/** A question missed while the bot was away passes the same checks as one asked live. */
	readonly access: AccessGate;
	/** GEMINI_USER_QUEUE_MAX: a member with missed questions in many threads gets the usual line past it. */
	readonly cap: MemberCap;
	/** Keeps the answer's promise for a clean shutdown. */
	readonly track: (work: Promise<unknown>) => void;
}): RecoveryPort {
	const thread = (threadId: string): Promise<AnyThreadChannel> =>
		writeOrGone(async () => {
			const channel = await deps.client.channels.fetch(threadId);
			if (!channel?.isThread()) throw new ReplyTargetGone('deleted');
			return channel;
		});
	const botId = deps.client.user.id;
	return {
		async readReply(threadId, messageIds) {
			const channel = await thread(threadId);
			const contents: (string | undefined)[] = [];
			for (const id of messageIds) contents.push((await fetchMessage(channel, id))?.content);
			return contents;
		},
		async closeReply(threadId, messageId, content) {
			const channel = await thread(threadId);
			await writeOrGone(() =>
				channel.messages.edit(messageId, { content, components: [], allowedMentions: NO_MENTIONS }),
			);
		},
		async post(threadId, content) {
			const channel = await thread(threadId);
			await writeOrGone(() => channel.send({ content, allowedMentions: NO_MENTIONS }));
		},
		async messagesAfter(threadId, afterId) {
			const channel = await thread(threadId);
			const page = await writeOrGone(() => channel.messages.fetch({ after: afterId, limit: 100, cache: false }));
			// Snowflakes grow with time: sort by id rather than trust the order of the array.
			return [...page.values()]
				.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
				.map((message) => ({
					id: message.id,
					authorId: message.author.id,
					authorName: displayName(message),
					fromBot: message.author.bot || message.system,
					content: readText(message, botId),
					mentionsBot: message.mentions.users.has(botId),
					createdAt: message.createdTimestamp,
				}));
		},
		async answer(session: Session, turn) {
			const channel = await thread(session.threadId);
			const member = await channel.guild.members.fetch(turn.authorId).catch(() => null);
			const access = await deps.access.check(accessRequest(member, turn.authorId, channel, !session.owned));
			if (!access.allowed) {
				if (access.tell) await writeOrGone(() => channel.send({ content: access.text, allowedMentions: NO_MENTIONS }));
				return;
			}
			const ticket = await deps.cap.enter(turn.authorId);
			if (!ticket) {
				const content = queueFullText(deps.cap.max);
				const reply = { messageReference: turn.discordMessageId ?? '', failIfNotExists: false };
				await writeOrGone(() =>
					channel.send({ content, allowedMentions: NO_MENTIONS, ...(turn.discordMessageId ? { reply } : {}) }),
				);
				return;
			}
			const turnToAnswer = threadTurn(channel, turn, { owned: session.owned, notices: deps.notices });
			const work = deps.responder.respond({ ...turnToAnswer, ticket });
			deps.track(work);
			await work;
		},
	};
}

async function fetchMessage(channel: AnyThreadChannel, id: string): Promise<Message<true> | undefined> {
	try {
		return await writeOrGone(() => channel.messages.fetch({ message: id, cache: false }));
	} catch (error) {
		if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage) return undefined;
		throw error;
	}
}
