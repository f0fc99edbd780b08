import { createMessage, editMessage, asMessageBody, publishDelete, publishMessage } from './message-body.js';
import { messagePayload, threadPayload } from './payloads.js';
import {
	apiError,
	ERRORS,
	invalidFormBody,
	json,
	noContent,
	type RestRequest,
	type RestResponse,
	type RouteDefinition,
} from './responses.js';
import { compareSnowflakes } from './snowflake.js';
import { isThread, type FakeState } from './state.js';
import type { FakeChannel, StoredMessage } from './types.js';

const DEFAULT_FETCH_LIMIT = 50;
const MAX_FETCH_LIMIT = 100;

/** A channel that can hold messages, or the error Discord would answer with. */
export function messageChannel(state: FakeState, channelId: string | undefined): FakeChannel | RestResponse {
	const channel = channelId === undefined ? undefined : state.channels.get(channelId);
	if (!channel) return ERRORS.unknownChannel();
	if (channel.type === 15) return apiError(400, 50008, 'Cannot send messages in a non-text channel');
	return channel;
}

function findMessage(state: FakeState, request: RestRequest): StoredMessage | RestResponse {
	const channel = messageChannel(state, request.params.channelId);
	if ('status' in channel) return channel;
	const message = state.messages.get(request.params.messageId ?? '');
	if (!message || message.deleted || message.channelId !== channel.id || (message.flags & 64) !== 0) {
		return ERRORS.unknownMessage();
	}
	return message;
}

function listMessages(state: FakeState, request: RestRequest): RestResponse {
	const channel = messageChannel(state, request.params.channelId);
	if ('status' in channel) return channel;
	const limit = Number(request.query.get('limit') ?? DEFAULT_FETCH_LIMIT);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FETCH_LIMIT) {
		return invalidFormBody('limit', 'NUMBER_TYPE_MAX', 'int value should be between 1 and 100.');
	}
	const visible = channel.messages.filter((message) => !message.deleted);
	const before = request.query.get('before');
	const after = request.query.get('after');
	const around = request.query.get('around');
	let page: StoredMessage[];
	if (before !== null) {
		page = visible.filter((message) => compareSnowflakes(message.id, before) < 0).slice(-limit);
	} else if (after !== null) {
		page = visible.filter((message) => compareSnowflakes(message.id, after) > 0).slice(0, limit);
	} else if (around !== null) {
		const index = visible.findIndex((message) => compareSnowflakes(message.id, around) >= 0);
		const center = index === -1 ? visible.length : index;
		const start = Math.max(0, center - Math.floor(limit / 2));
		page = visible.slice(start, start + limit);
	} else {
		page = visible.slice(-limit);
	}
	return json(page.reverse().map((message) => messagePayload(state, message, { gateway: false })));
}

function postMessage(state: FakeState, request: RestRequest): RestResponse {
	const channel = messageChannel(state, request.params.channelId);
	if ('status' in channel) return channel;
	if (isThread(channel) && channel.archived) {
		if (channel.locked) return ERRORS.threadArchived();
		channel.archived = false;
		state.dispatch('THREAD_UPDATE', threadPayload(state, channel));
	}
	const message = createMessage(state, {
		channelId: channel.id,
		author: state.bot,
		body: asMessageBody(request.body),
		files: request.files,
	});
	if ('status' in message) return message;
	publishMessage(state, message, 'MESSAGE_CREATE');
	return json(messagePayload(state, message, { gateway: false }));
}

function patchMessage(state: FakeState, request: RestRequest): RestResponse {
	const message = findMessage(state, request);
	if ('status' in message) return message;
	// Unlike a new post, an edit does not unarchive the thread: Discord refuses it.
	if (state.channels.get(message.channelId)?.archived === true) return ERRORS.threadArchived();
	if (message.author.id !== state.bot.id) return ERRORS.notAuthor();
	const failed = editMessage(state, message, asMessageBody(request.body), request.files);
	if (failed) return failed;
	publishMessage(state, message, 'MESSAGE_UPDATE');
	return json(messagePayload(state, message, { gateway: false }));
}

export function messageRoutes(state: FakeState): RouteDefinition[] {
	const channelOf = (request: RestRequest): string | undefined => request.params.channelId;
	return [
		{
			method: 'POST',
			route: '/channels/:channelId/messages',
			auth: true,
			messageWrite: 'create',
			writeChannel: channelOf,
			handler: (request) => postMessage(state, request),
		},
		{
			method: 'GET',
			route: '/channels/:channelId/messages',
			auth: true,
			handler: (request) => listMessages(state, request),
		},
		{
			method: 'GET',
			route: '/channels/:channelId/messages/:messageId',
			auth: true,
			handler: (request) => {
				const message = findMessage(state, request);
				return 'status' in message ? message : json(messagePayload(state, message, { gateway: false }));
			},
		},
		{
			method: 'PATCH',
			route: '/channels/:channelId/messages/:messageId',
			auth: true,
			messageWrite: 'edit',
			writeChannel: channelOf,
			handler: (request) => patchMessage(state, request),
		},
		{
			method: 'DELETE',
			route: '/channels/:channelId/messages/:messageId',
			auth: true,
			handler: (request) => {
				const message = findMessage(state, request);
				if ('status' in message) return message;
				publishDelete(state, message);
				return noContent();
			},
		},
		{
			method: 'POST',
			route: '/channels/:channelId/typing',
			auth: true,
			handler: (request) => {
				const channel = messageChannel(state, request.params.channelId);
				return 'status' in channel ? channel : noContent();
			},
		},
	];
}
