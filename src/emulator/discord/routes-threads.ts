import { asMessageBody, createMessage, publishMessage } from './message-body.js';
import { channelPayload, messagePayload, threadPayload } from './payloads.js';
import {
	apiError,
	ERRORS,
	invalidFormBody,
	isRecord,
	json,
	noContent,
	type RestRequest,
	type RestResponse,
	type RouteDefinition,
} from './responses.js';
import { createChannel, isThread, type FakeState } from './state.js';
import { removeChannel } from './thread-lifecycle.js';
import type { FakeChannel } from './types.js';

const THREAD_NAME_LIMIT = 100;

/** Creates a thread and announces it with THREAD_CREATE, as Discord does for every new thread. */
export function openThread(
	state: FakeState,
	options: { parent: FakeChannel; name: string; ownerId: string; type: number; id?: string },
): FakeChannel {
	const thread = createChannel(state, {
		guildId: options.parent.guildId,
		type: options.type,
		name: options.name,
		parentId: options.parent.id,
		ownerId: options.ownerId,
		...(options.id === undefined ? {} : { id: options.id }),
	});
	state.dispatch('THREAD_CREATE', { ...threadPayload(state, thread), newly_created: true });
	return thread;
}

function threadName(body: unknown): string | RestResponse {
	const name = isRecord(body) && typeof body.name === 'string' ? body.name.trim() : '';
	if (name.length === 0 || name.length > THREAD_NAME_LIMIT) {
		return invalidFormBody('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
	}
	return name;
}

function threadFromMessage(state: FakeState, request: RestRequest): RestResponse {
	const parent = state.channels.get(request.params.channelId ?? '');
	if (!parent) return ERRORS.unknownChannel();
	const message = state.messages.get(request.params.messageId ?? '');
	if (!message || message.deleted || message.channelId !== parent.id) return ERRORS.unknownMessage();
	if (parent.type !== 0 && parent.type !== 5) return apiError(400, 50024, 'Cannot execute action on this channel type');
	if (state.channels.has(message.id))
		return apiError(400, 160004, 'A thread has already been created for this message');
	const name = threadName(request.body);
	if (typeof name !== 'string') return name;
	message.flags |= 32;
	const thread = openThread(state, { parent, name, ownerId: state.bot.id, type: 11, id: message.id });
	return json(threadPayload(state, thread), 201);
}

function threadWithoutMessage(state: FakeState, request: RestRequest): RestResponse {
	const parent = state.channels.get(request.params.channelId ?? '');
	if (!parent) return ERRORS.unknownChannel();
	if (isThread(parent)) return apiError(400, 50024, 'Cannot execute action on this channel type');
	const name = threadName(request.body);
	if (typeof name !== 'string') return name;
	const body = isRecord(request.body) ? request.body : {};
	if (parent.type === 15) {
		const starter = asMessageBody(body.message);
		if (!isRecord(body.message)) return invalidFormBody('message', 'BASE_TYPE_REQUIRED', 'This field is required');
		const thread = createChannel(state, {
			guildId: parent.guildId,
			type: 11,
			name,
			parentId: parent.id,
			ownerId: state.bot.id,
		});
		const message = createMessage(state, {
			id: thread.id,
			channelId: thread.id,
			author: state.bot,
			body: starter,
			files: request.files,
		});
		if ('status' in message) {
			state.channels.delete(thread.id);
			return message;
		}
		state.dispatch('THREAD_CREATE', { ...threadPayload(state, thread), newly_created: true });
		publishMessage(state, message, 'MESSAGE_CREATE');
		return json({ ...threadPayload(state, thread), message: messagePayload(state, message, { gateway: false }) }, 201);
	}
	const type = body.type === 11 || body.type === 12 || body.type === 10 ? body.type : 12;
	const thread = openThread(state, { parent, name, ownerId: state.bot.id, type });
	return json(threadPayload(state, thread), 201);
}

function patchChannel(state: FakeState, request: RestRequest): RestResponse {
	const channel = state.channels.get(request.params.channelId ?? '');
	if (!channel) return ERRORS.unknownChannel();
	const body = isRecord(request.body) ? request.body : {};
	if (typeof body.name === 'string') channel.name = body.name;
	if (isThread(channel)) {
		if (typeof body.archived === 'boolean') channel.archived = body.archived;
		if (typeof body.locked === 'boolean') channel.locked = body.locked;
		state.dispatch('THREAD_UPDATE', threadPayload(state, channel));
		return json(threadPayload(state, channel));
	}
	state.dispatch('CHANNEL_UPDATE', channelPayload(state, channel));
	return json(channelPayload(state, channel));
}

export function threadRoutes(state: FakeState): RouteDefinition[] {
	const threadMember = (request: RestRequest): RestResponse => {
		const channel = state.channels.get(request.params.channelId ?? '');
		if (!channel) return ERRORS.unknownChannel();
		return isThread(channel) ? noContent() : apiError(400, 50024, 'Cannot execute action on this channel type');
	};
	return [
		{
			method: 'POST',
			route: '/channels/:channelId/messages/:messageId/threads',
			auth: true,
			handler: (request) => threadFromMessage(state, request),
		},
		{
			method: 'POST',
			route: '/channels/:channelId/threads',
			auth: true,
			handler: (request) => threadWithoutMessage(state, request),
		},
		{
			method: 'GET',
			route: '/channels/:channelId',
			auth: true,
			handler: (request) => {
				const channel = state.channels.get(request.params.channelId ?? '');
				return channel ? json(channelPayload(state, channel)) : ERRORS.unknownChannel();
			},
		},
		{ method: 'PATCH', route: '/channels/:channelId', auth: true, handler: (request) => patchChannel(state, request) },
		{
			method: 'DELETE',
			route: '/channels/:channelId',
			auth: true,
			handler: (request) => {
				const channel = state.channels.get(request.params.channelId ?? '');
				return channel ? json(removeChannel(state, channel)) : ERRORS.unknownChannel();
			},
		},
		{ method: 'PUT', route: '/channels/:channelId/thread-members/:userId', auth: true, handler: threadMember },
		{ method: 'DELETE', route: '/channels/:channelId/thread-members/:userId', auth: true, handler: threadMember },
		{
			method: 'GET',
			route: '/guilds/:guildId/threads/active',
			auth: true,
			handler: (request) => {
				const guildId = request.params.guildId ?? '';
				if (!state.guilds.has(guildId)) return apiError(404, 10004, 'Unknown Guild');
				const threads = [...state.channels.values()].filter(
					(channel) => channel.guildId === guildId && isThread(channel) && !channel.archived,
				);
				return json({ threads: threads.map((thread) => threadPayload(state, thread)), members: [] });
			},
		},
	];
}
