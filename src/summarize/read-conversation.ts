import type { GuildTextBasedChannel } from 'discord.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { History } from './fetch-history.js';
import type { TranscriptMessage } from './format-transcript.js';
import { readChannelHistory } from './read-channel-history.js';
import { sessionTranscript } from './session-transcript.js';
import type { SummaryBounds } from './summary-bounds.js';
import { MAX_MESSAGES } from './summary-bounds.js';

/** Messages read when the member sets neither `messages` nor `since`. */
export const DEFAULT_MESSAGES = 100;

export type Conversation = History<TranscriptMessage> & {
	/** The transcript is a bot thread's stored session. */
	readonly inSession: boolean;
};

/**
 * What /summarize reads: in a thread the bot started, the stored session (everything said there was said to the
 * bot); anywhere else, Discord's history, by default the last 100 messages, or up to 1,000 within `since`.
 */
export async function readConversation(
	channel: GuildTextBasedChannel,
	bounds: SummaryBounds,
	options: { readonly sessions: SessionStore; readonly before: string; readonly botId: string },
): Promise<Conversation> {
	const { sessions } = options;
	if (channel.isThread() && (await sessions.getSession(channel.id))?.owned === true) {
		return {
			messages: sessionTranscript(await sessions.listTurns(channel.id), bounds),
			reachedLimit: false,
			inSession: true,
		};
	}
	const limit = bounds.limit ?? (bounds.since === undefined ? DEFAULT_MESSAGES : MAX_MESSAGES);
	const history = await readChannelHistory(
		channel,
		{ before: options.before, limit, since: bounds.since },
		options.botId,
	);
	return { ...history, inSession: false };
}
