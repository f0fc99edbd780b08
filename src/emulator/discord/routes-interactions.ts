import { asMessageBody, createMessage, editMessage, publishDelete, publishMessage } from './message-body.js';
import { messagePayload } from './payloads.js';
import {
	ERRORS,
	invalidFormBody,
	isRecord,
	json,
	noContent,
	type RestRequest,
	type RestResponse,
	type RouteDefinition,
} from './responses.js';
import type { FakeState } from './state.js';
import type { FakeInteraction, StoredMessage } from './types.js';

const TOKEN_LIFETIME_MS = 15 * 60 * 1_000;
const EPHEMERAL = 64;
const LOADING = 128;

function invalidType(): RestResponse {
	return invalidFormBody('type', 'INTERACTION_RESPONSE_TYPE_INVALID', 'Interaction response type is invalid.');
}

function callbackResponse(
	state: FakeState,
	interaction: FakeInteraction,
	request: RestRequest,
	type: number,
): RestResponse {
	if (request.query.get('with_response') !== 'true') return noContent();
	const message = type === 6 || type === 9 ? undefined : interaction.original;
	return json({
		interaction: {
			id: interaction.id,
			type: interaction.type,
			...(message
				? {
						response_message_id: message.id,
						response_message_loading: (message.flags & LOADING) !== 0,
						response_message_ephemeral: (message.flags & EPHEMERAL) !== 0,
					}
				: {}),
		},
		resource: { type, ...(message ? { message: messagePayload(state, message, { gateway: false }) } : {}) },
	});
}

function acknowledge(state: FakeState, interaction: FakeInteraction, request: RestRequest): RestResponse {
	const body = isRecord(request.body) ? request.body : {};
	const type = typeof body.type === 'number' ? body.type : 0;
	const data = asMessageBody(body.data);
	const messageType = interaction.type === 2 ? 20 : 0;
	const base = { channelId: interaction.channelId, author: state.bot, interactionToken: interaction.token };
	if (type === 4 || type === 5) {
		const flags = (data.flags ?? 0) & EPHEMERAL;
		const message =
			type === 4
				? createMessage(state, { ...base, body: data, files: request.files, type: messageType })
				: createMessage(state, {
						...base,
						body: { content: '', flags },
						files: [],
						type: messageType,
						extraFlags: LOADING,
						allowEmpty: true,
					});
		if ('status' in message) return message;
		interaction.original = message;
		interaction.ephemeral = (message.flags & EPHEMERAL) !== 0;
		interaction.deferred = type === 5;
		publishMessage(state, message, 'MESSAGE_CREATE');
	} else if (type === 6 || type === 7) {
		const target = interaction.message;
		if (interaction.type !== 3 || !target) return invalidType();
		if (type === 7) {
			const failed = editMessage(state, target, data, request.files);
			if (failed) return failed;
			publishMessage(state, target, 'MESSAGE_UPDATE');
		}
		interaction.original = target;
		interaction.deferred = type === 6;
	} else if (type !== 9) return invalidType();
	interaction.callbacks.push({ type, data: body.data, at: Date.now() });
	interaction.acknowledgedAt = Date.now();
	return callbackResponse(state, interaction, request, type);
}

function callback(state: FakeState, request: RestRequest): RestResponse {
	const interaction = state.interactions.get(request.params.interactionId ?? '');
	if (!interaction || interaction.token !== request.params.token) return ERRORS.unknownInteraction();
	if (interaction.acknowledgedAt !== undefined) return ERRORS.alreadyAcknowledged();
	if (Date.now() - interaction.dispatchedAt > state.interactionDeadlineMs) return ERRORS.unknownInteraction();
	return acknowledge(state, interaction, request);
}

function webhookInteraction(state: FakeState, request: RestRequest): FakeInteraction | RestResponse {
	const token = request.params.token;
	const interaction = [...state.interactions.values()].find((entry) => entry.token === token);
	if (request.params.applicationId !== state.bot.id || !interaction) return ERRORS.unknownWebhook();
	if (Date.now() - interaction.dispatchedAt > TOKEN_LIFETIME_MS) return ERRORS.unknownInteraction();
	if (interaction.acknowledgedAt === undefined) return ERRORS.unknownWebhook();
	return interaction;
}

function webhookMessage(state: FakeState, request: RestRequest): StoredMessage | RestResponse {
	const interaction = webhookInteraction(state, request);
	if ('status' in interaction) return interaction;
	const id = request.params.messageId;
	const candidates = [interaction.original, ...interaction.followups];
	const message = id === '@original' ? interaction.original : candidates.find((entry) => entry?.id === id);
	return message && !message.deleted ? message : ERRORS.unknownMessage();
}

function followUp(state: FakeState, request: RestRequest): RestResponse {
	const interaction = webhookInteraction(state, request);
	if ('status' in interaction) return interaction;
	const message = createMessage(state, {
		channelId: interaction.channelId,
		author: state.bot,
		body: asMessageBody(request.body),
		files: request.files,
		type: interaction.type === 2 ? 20 : 0,
		interactionToken: interaction.token,
	});
	if ('status' in message) return message;
	interaction.followups.push(message);
	publishMessage(state, message, 'MESSAGE_CREATE');
	return request.query.get('wait') === 'true' ? json(messagePayload(state, message, { gateway: false })) : noContent();
}

export function interactionRoutes(state: FakeState): RouteDefinition[] {
	const channelOfToken = (request: RestRequest): string | undefined =>
		[...state.interactions.values()].find((entry) => entry.token === request.params.token)?.channelId;
	const callbackChannel = (request: RestRequest): string | undefined => {
		const type = isRecord(request.body) ? request.body.type : undefined;
		return type === 4 || type === 7 ? channelOfToken(request) : undefined;
	};
	return [
		{
			method: 'POST',
			route: '/interactions/:interactionId/:token/callback',
			auth: false,
			writeChannel: callbackChannel,
			handler: (request) => callback(state, request),
		},
		{
			method: 'POST',
			route: '/webhooks/:applicationId/:token',
			auth: false,
			writeChannel: channelOfToken,
			handler: (request) => followUp(state, request),
		},
		{
			method: 'GET',
			route: '/webhooks/:applicationId/:token/messages/:messageId',
			auth: false,
			handler: (request) => {
				const message = webhookMessage(state, request);
				return 'status' in message ? message : json(messagePayload(state, message, { gateway: false }));
			},
		},
		{
			method: 'PATCH',
			route: '/webhooks/:applicationId/:token/messages/:messageId',
			auth: false,
			writeChannel: channelOfToken,
			handler: (request) => {
				const message = webhookMessage(state, request);
				if ('status' in message) return message;
				const failed = editMessage(state, message, asMessageBody(request.body), request.files);
				if (failed) return failed;
				publishMessage(state, message, 'MESSAGE_UPDATE');
				return json(messagePayload(state, message, { gateway: false }));
			},
		},
		{
			method: 'DELETE',
			route: '/webhooks/:applicationId/:token/messages/:messageId',
			auth: false,
			handler: (request) => {
				const message = webhookMessage(state, request);
				if ('status' in message) return message;
				publishDelete(state, message);
				return noContent();
			},
		},
	];
}
