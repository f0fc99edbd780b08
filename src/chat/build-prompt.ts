import type { ModelContent, ModelPart } from '../llm/chat-model.js';
import { textContent } from '../llm/chat-model.js';
import type { TurnAttachment } from '../store/ports/attachment-store.js';
import type { ContextTurn } from '../domain/turn.js';
import { CHARACTERS_PER_TOKEN, estimateTokens } from './token-estimate.js';
import type { ContextMedia } from './turn-parts.js';
import { NO_MEDIA, turnParts } from './turn-parts.js';

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

export function buildSystemInstruction(context: ConversationContext): string {
	// The thread's name is members' text: it goes in the conversation (see threadNameText), never in here.
	const place =
		context.threadName === undefined ? `the channel #${context.channelName}` : `a thread of #${context.channelName}`;
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

export type ContextOptions = {
	/** Estimated tokens the contents may take, the summary included. */
	readonly tokenBudget: number;
	readonly media?: ContextMedia | undefined;
	/** The thread's calibrated ratio (see `calibrate`). @default CHARACTERS_PER_TOKEN */
	readonly charactersPerToken?: number | undefined;
	/** The thread's rolling summary: it opens the contents and stands for the turns it covers. */
	readonly summary?: string | undefined;
	/** The thread's name, which members choose: context at the start of the conversation, not an instruction. */
	readonly threadName?: string | undefined;
};

export type BuiltContext = {
	readonly contents: ModelContent[];
	/** Older turns were left out to stay within the budget: the thread needs its summary brought up to date. */
	readonly cut: boolean;
	/** Files of the newest turn the model cannot read (sent as a placeholder), to name under the answer. */
	readonly unreadable: readonly TurnAttachment[];
};

/** How the summary of a thread's older turns opens its context. */
export function summaryText(summary: string): string {
	return `Earlier in this thread (a summary of the older messages):\n${summary}`;
}

/** How the thread's name opens the conversation, as something members wrote. */
export function threadNameText(name: string): string {
	return `(The members named this thread "${name}".)`;
}

/**
 * Turns stored rows, newest first, into Gemini contents: speakers named, files as parts (see `turnParts`), empty
 * failed replies and replies no member saw left out, consecutive turns of one role merged, and reading stops once
 * the estimated token budget is spent (so a long thread costs no more than a short one). The newest turn is always
 * kept. A summary, when the thread has one, comes first: it changes only when older turns are folded into it, so the
 * prompt's start stays the same from call to call and Gemini's implicit cache applies.
 */
export async function buildContents(
	newestFirst: AsyncIterable<ContextTurn> | Iterable<ContextTurn>,
	options: ContextOptions,
): Promise<BuiltContext> {
	const media = options.media ?? NO_MEDIA;
	const perToken = options.charactersPerToken ?? CHARACTERS_PER_TOKEN;
	const contents: ModelContent[] = [];
	const openingLines = [
		...(options.threadName === undefined ? [] : [threadNameText(options.threadName)]),
		...(options.summary === undefined ? [] : [summaryText(options.summary)]),
	];
	const opening = openingLines.length === 0 ? undefined : openingLines.join('\n\n');
	let remaining = options.tokenBudget - (opening === undefined ? 0 : Math.ceil(opening.length / perToken));
	const inline = { turnsLeft: media.mediaTurns, bytesLeft: media.maxInlineBytes };
	let cut = false;
	let unreadable: readonly TurnAttachment[] | undefined;
	for await (const turn of newestFirst) {
		if (turn.role === 'model' && turn.discordMessageId === undefined) continue;
		const built = await turnParts(turn, media, inline);
		if (!built) continue;
		unreadable ??= built.unreadable;
		const tokens = estimateTokens(built.size, perToken);
		if (tokens > remaining && contents.length > 0) {
			cut = true;
			break;
		}
		remaining -= tokens;
		const newest = contents[0];
		if (newest?.role === turn.role) contents[0] = { role: turn.role, parts: joinParts(built.parts, newest.parts) };
		else contents.unshift({ role: turn.role, parts: built.parts });
	}
	// Gemini expects the conversation to open with a user turn, and the model to answer one.
	if (opening !== undefined) {
		const first = contents[0];
		if (first?.role === 'user') contents[0] = { role: 'user', parts: joinParts([{ text: opening }], first.parts) };
		else contents.unshift(textContent('user', opening));
	}
	while (contents[0]?.role === 'model') contents.shift();
	if (contents.at(-1)?.role === 'model') contents.push(textContent('user', ANSWER_AGAIN));
	return { contents, cut, unreadable: unreadable ?? [] };
}

function joinParts(older: readonly ModelPart[], newer: readonly ModelPart[]): ModelPart[] {
	const last = older.at(-1);
	const first = newer[0];
	if (last && first && 'text' in last && 'text' in first) {
		return [...older.slice(0, -1), { text: `${last.text}\n\n${first.text}` }, ...newer.slice(1)];
	}
	return [...older, ...newer];
}
