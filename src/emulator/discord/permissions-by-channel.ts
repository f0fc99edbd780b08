import { apiError, type RestResponse } from './responses.js';
import { isThread, type FakeState } from './state.js';
import type { BotPermissionLoss } from './types.js';

/** Requests that need SEND_MESSAGES (or CREATE_*_THREADS) in the channel named by `:channelId`. */
const SENDING_ROUTES = new Set([
	'POST /channels/:channelId/messages',
	'PATCH /channels/:channelId/messages/:messageId',
	'POST /channels/:channelId/typing',
	'POST /channels/:channelId/threads',
	'POST /channels/:channelId/messages/:messageId/threads',
]);

export type ChannelPermissions = {
	revoke(channelId: string, kind: BotPermissionLoss): void;
	restore(channelId: string): void;
	/** The 403 Discord answers a bot request with, or undefined when the bot may do it. */
	check(request: {
		method: string;
		route: string;
		channelId: string | undefined;
		authorized: boolean;
	}): RestResponse | undefined;
};

export function createChannelPermissions(state: FakeState): ChannelPermissions {
	const losses = new Map<string, BotPermissionLoss>();

	// A thread is only visible through its parent, so losing VIEW_CHANNEL there hides its threads too.
	const lossIn = (channelId: string): BotPermissionLoss | undefined => {
		const own = losses.get(channelId);
		const channel = state.channels.get(channelId);
		const parentId = channel && isThread(channel) ? channel.parentId : undefined;
		if (own === 'view' || parentId === undefined) return own;
		return losses.get(parentId) === 'view' ? 'view' : own;
	};

	return {
		revoke(channelId, kind) {
			losses.set(channelId, kind);
		},
		restore(channelId) {
			losses.delete(channelId);
		},
		check({ method, route, channelId, authorized }) {
			if (!authorized || channelId === undefined || !route.startsWith('/channels/:channelId')) return undefined;
			const loss = lossIn(channelId);
			if (loss === 'view') return apiError(403, 50001, 'Missing Access');
			if (loss === 'send' && SENDING_ROUTES.has(`${method} ${route}`)) {
				return apiError(403, 50013, 'Missing Permissions');
			}
			return undefined;
		},
	};
}
