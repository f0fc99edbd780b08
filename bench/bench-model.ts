import type { FakeGemini } from '../test/fakes/fake-gemini/index.js';
import type { FakeOpenAi } from '../test/fakes/fake-openai/index.js';
import type { TappedExchange } from './chunk-tap.js';

/** An answer the bench scripts; either fake streams it chunk by chunk, the first `firstChunkDelayMs` after opening. */
export type ScriptedReply = {
	readonly kind: 'reply';
	readonly chunks: readonly string[];
	readonly chunkDelayMs: number;
	readonly firstChunkDelayMs?: number;
};

/** The fake model behind the chunk tap, whichever API it speaks. */
export type BenchModel = {
	/** 'Gemini' or 'OpenAI', for labels. */
	readonly name: string;
	enqueue(reply: ScriptedReply): void;
	/** Answers each call with what `pick` returns for its last message (undefined: the fake's echo). */
	answerBy(pick: (lastMessage: string) => ScriptedReply | undefined): void;
	/** When the events that carry answer text reached the tap. */
	textTimes(exchange: TappedExchange): number[];
	/** Most streams the fake had open at once. */
	maxConcurrentStreams(): number;
};

/** The fake Gemini streams one event per chunk, each with its text (the last one with the finish reason). */
export function geminiBenchModel(gemini: FakeGemini): BenchModel {
	return {
		name: 'Gemini',
		enqueue: (reply) => {
			gemini.enqueue(reply);
		},
		answerBy: (pick) => {
			gemini.respondWith((request) => pick(request.contents.at(-1)?.text ?? ''));
		},
		textTimes: (exchange) => exchange.eventTimes,
		maxConcurrentStreams: () => gemini.stats.maxConcurrentStreams,
	};
}

type OpenAiChunk = { choices?: { delta?: { content?: unknown } }[] };

/** A chat-completion chunk with answer text (not the role chunk, the finish chunk, the usage chunk or `[DONE]`). */
function carriesText(event: string): boolean {
	const data = event.startsWith('data: ') ? event.slice('data: '.length) : '';
	if (!data.startsWith('{')) return false;
	const content = (JSON.parse(data) as OpenAiChunk).choices?.[0]?.delta?.content;
	return typeof content === 'string' && content !== '';
}

/**
 * The fake OpenAI streams a role chunk, one chunk per text, a finish chunk, a usage chunk and `[DONE]`, each after
 * the scenario's chunk delay (the role chunk after `firstChunkDelayMs`).
 */
export function openAiBenchModel(openai: FakeOpenAi): BenchModel {
	return {
		name: 'OpenAI',
		enqueue: (reply) => {
			openai.enqueue(reply);
		},
		answerBy: (pick) => {
			openai.respondWith((request) => pick(request.messages.at(-1)?.text ?? ''));
		},
		textTimes: (exchange) => exchange.eventTimes.filter((_, index) => carriesText(exchange.events[index] ?? '')),
		maxConcurrentStreams: () => openai.stats.maxConcurrentStreams,
	};
}
