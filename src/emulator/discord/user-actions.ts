import { PermissionFlagsBits } from 'discord-api-types/v10';
import { attachmentFromInput } from './attachments.js';
import { publishMessage } from './message-body.js';
import { channelPayload, messagePayload, threadPayload } from './payloads.js';
import { permissionsIn } from './permissions-in.js';
import { openThread } from './routes-threads.js';
import {
	addMember,
	createChannel,
	guildOfChannel,
	isThread,
	newMessage,
	storeMessage,
	type FakeGuildState,
	type FakeState,
} from './state.js';
import type { FakeChannel, FakeUser, StoredMessage, UserMessageOptions } from './types.js';

const IS_VOICE_MESSAGE = 1 << 13;

function requireChannel(state: FakeState, channelId: string): FakeChannel {
	const channel = state.channels.get(channelId);
	if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
	return channel;
}

export function addGuildChannel(state: FakeState, guild: FakeGuildState, name: string, type: 0 | 15): FakeChannel {
	const channel = createChannel(state, { guildId: guild.id, type, name });
	state.dispatch('CHANNEL_CREATE', channelPayload(state, channel));
	return channel;
}

/** A new user, a member of `guild` only; `announce: false` while the guild is not announced yet. */
export function addGuildUser(
	state: FakeState,
	guild: FakeGuildState,
	user: { username: string; globalName?: string; bot?: boolean; permissions?: bigint },
	options: { announce?: boolean } = {},
): FakeUser {
	const created: FakeUser = {
		id: state.ids.next(),
		username: user.username,
		globalName: user.globalName ?? null,
		bot: user.bot ?? false,
	};
	addMember(state, guild, created, user.permissions, options);
	return created;
}

/** Discord's client does not let a member post where they cannot, so a test must not either. */
function requirePostPermission(state: FakeState, channel: FakeChannel, author: FakeUser): void {
	if (!guildOfChannel(state, channel.id).members.has(author.id)) {
		throw new Error(`fake-discord: ${author.username} is not a member of guild ${channel.guildId}, so cannot post`);
	}
	const permissions = permissionsIn(state, author.id, channel.id);
	const send = isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
	const missing = [
		...((permissions & PermissionFlagsBits.ViewChannel) === 0n ? ['VIEW_CHANNEL'] : []),
		...((permissions & send) === 0n ? [isThread(channel) ? 'SEND_MESSAGES_IN_THREADS' : 'SEND_MESSAGES'] : []),
	];
	if (missing.length > 0) {
		throw new Error(`fake-discord: ${author.username} lacks ${missing.join(' and ')} in ${channel.id}, so cannot post`);
	}
}

/** A user's message: stored, then dispatched as MESSAGE_CREATE (a user post also unarchives a thread). */
export function userSays(
	state: FakeState,
	channelId: string,
	author: FakeUser,
	content: string,
	options: UserMessageOptions = {},
): StoredMessage {
	const channel = requireChannel(state, channelId);
	if (channel.type === 15) throw new Error('fake-discord: post in a forum thread, not in the forum channel');
	requirePostPermission(state, channel, author);
	let messageReference: StoredMessage['messageReference'];
	if (options.replyTo !== undefined) {
		const target = state.messages.get(options.replyTo);
		if (!target) throw new Error(`fake-discord: cannot reply to unknown message ${options.replyTo}`);
		messageReference = { messageId: target.id, channelId: target.channelId };
	}
	if (isThread(channel) && channel.archived && !channel.locked) {
		channel.archived = false;
		state.dispatch('THREAD_UPDATE', threadPayload(state, channel));
	}
	const message = newMessage(state, {
		channelId,
		author,
		content,
		messageReference,
		type: messageReference ? 19 : 0,
		attachments: (options.attachments ?? []).map((input) => attachmentFromInput(state, channelId, input)),
		flags: options.voiceMessage === true ? IS_VOICE_MESSAGE : 0,
	});
	storeMessage(state, message);
	publishMessage(state, message, 'MESSAGE_CREATE');
	return message;
}

export function userCreatesThread(
	state: FakeState,
	options: { parentId: string; name: string; owner: FakeUser; type?: 11 | 12; starterMessageId?: string },
): FakeChannel {
	const parent = requireChannel(state, options.parentId);
	if (parent.type === 15) {
		const thread = createChannel(state, {
			guildId: parent.guildId,
			type: 11,
			name: options.name,
			parentId: parent.id,
			ownerId: options.owner.id,
		});
		const starter = newMessage(state, {
			id: thread.id,
			channelId: thread.id,
			author: options.owner,
			content: options.name,
		});
		storeMessage(state, starter);
		state.dispatch('THREAD_CREATE', { ...threadPayload(state, thread), newly_created: true });
		state.dispatch('MESSAGE_CREATE', messagePayload(state, starter, { gateway: true }));
		return thread;
	}
	let id: string | undefined;
	if (options.starterMessageId !== undefined) {
		const starter = state.messages.get(options.starterMessageId);
		if (starter?.channelId !== parent.id) {
			throw new Error(`fake-discord: starter message ${options.starterMessageId} is not in ${parent.id}`);
		}
		if (state.channels.has(starter.id)) throw new Error(`fake-discord: message ${starter.id} already has a thread`);
		starter.flags |= 32;
		id = starter.id;
	}
	const type = options.starterMessageId === undefined ? (options.type ?? 11) : 11;
	return openThread(state, { parent, name: options.name, ownerId: options.owner.id, type, ...(id ? { id } : {}) });
}

/** History without dispatches; timestamps increase in order unless `at` says otherwise. */
export function seedMessages(
	state: FakeState,
	channelId: string,
	messages: { author: FakeUser; content: string; at?: number }[],
): StoredMessage[] {
	requireChannel(state, channelId);
	const now = Date.now();
	let previous = -Infinity;
	return messages.map((entry, index) => {
		const at = entry.at ?? Math.max(previous + 1, now - (messages.length - index));
		previous = at;
		return storeMessage(state, newMessage(state, { channelId, author: entry.author, content: entry.content, at }));
	});
}
