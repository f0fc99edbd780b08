import type { ModelContent } from '../llm/chat-model.js';
import type { ContextTurn } from '../store/session-store.js';

export const DEFAULT_PERSONA = 'You are a helpful, friendly and knowledgeable assistant.';

export type ConversationContext = {
	readonly botName: string;
	readonly guildName: string;
	readonly channelName: string;
	readonly threadName: string | undefined;
	readonly now: Date;
	/** The moderators' system prompt for this channel or thread, if any. */
	readonly persona: string | undefined;
};

/** Google's rule of thumb: about 4 characters per token. Good enough to keep text under a budget. */
export const CHARACTERS_PER_TOKEN = 4;

export function buildSystemInstruction(context: ConversationContext): string {
	const place = context.threadName
		? `the thread "${context.threadName}" in #${context.channelName}`
		: `the channel #${context.channelName}`;
	return [
		context.persona?.trim() || DEFAULT_PERSONA,
		'',
		`You are talking on Discord as the bot "${context.botName}", in ${place} of the server "${context.guildName}".`,
		`Today is ${context.now.toISOString().slice(0, 10)} (UTC).`,
		"Several members may take part. Each of their messages starts with the speaker's display name and a colon; " +
			'do not start your own replies with a name.',
		'Format replies with Discord markdown (no tables; code in fenced blocks with a language). Be concise unless asked for detail.',
	].join('\n');
}

/** Sent after a reply the bot itself cut short (a crash, a shutdown) when its question is answered again. */
export const ANSWER_AGAIN =
	'(Your answer above was cut off before it was finished. Answer the last message again, in full.)';

/**
 * Turns stored rows, newest first, into Gemini contents: speakers named, empty failed replies and replies no
 * member saw left out, consecutive turns of one role merged, and reading stops once the estimated token budget
 * is spent (so a long thread costs no more than a short one). The newest turn is always kept.
 */
export function buildContents(newestFirst: Iterable<ContextTurn>, tokenBudget: number): ModelContent[] {
	const contents: ModelContent[] = [];
	let remaining = tokenBudget * CHARACTERS_PER_TOKEN;
	for (const turn of newestFirst) {
		if (turn.content.trim() === '' || (turn.role === 'model' && turn.discordMessageId === undefined)) continue;
		const text = turn.role === 'user' ? `${turn.authorName}: ${turn.content}` : turn.content;
		if (text.length > remaining && contents.length > 0) break;
		remaining -= text.length;
		const newest = contents[0];
		if (newest?.role === turn.role) contents[0] = { role: turn.role, text: `${text}\n\n${newest.text}` };
		else contents.unshift({ role: turn.role, text });
	}
	// Gemini expects the conversation to open with a user turn, and the model to answer one.
	while (contents[0]?.role === 'model') contents.shift();
	if (contents.at(-1)?.role === 'model') contents.push({ role: 'user', text: ANSWER_AGAIN });
	return contents;
}
