import type { APIChannel } from 'discord-api-types/v10';
import { channelPayload, threadPayload } from './payloads.js';
import { isThread, type FakeState } from './state.js';
import type { FakeChannel } from './types.js';

/** Deletes a channel; a thread goes out as the slim THREAD_DELETE Discord sends, anything else as CHANNEL_DELETE. */
export function removeChannel(state: FakeState, channel: FakeChannel): APIChannel {
	const payload = channelPayload(state, channel);
	state.channels.delete(channel.id);
	if (isThread(channel)) {
		state.dispatch('THREAD_DELETE', {
			id: channel.id,
			guild_id: channel.guildId,
			parent_id: channel.parentId,
			type: channel.type,
		});
	} else state.dispatch('CHANNEL_DELETE', payload);
	return payload;
}

export function setThreadArchived(state: FakeState, thread: FakeChannel, archived: boolean, locked: boolean): void {
	thread.archived = archived;
	thread.locked = locked;
	state.dispatch('THREAD_UPDATE', threadPayload(state, thread));
}
