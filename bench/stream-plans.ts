import type { FakeUser } from '../src/emulator/discord/index.js';
import { proseChunks } from './bench-bot.js';
import type { ScriptedReply } from './bench-model.js';

/** One thread's question and the answer the fake Gemini streams for it. */
export type StreamPlan = {
	/** Unique in the run; the mention contains it, so the answer can be matched to the request. */
	readonly marker: string;
	readonly member: FakeUser;
	readonly chunks: readonly string[];
	readonly text: string;
	readonly chunkDelayMs: number;
	/** Time to first token: the stream opens at once, its first chunk comes this much later. */
	readonly firstChunkDelayMs: number;
};

export type Range = readonly [min: number, max: number];

export type PlanShape = {
	readonly chunks: Range;
	readonly chunkSize: Range;
	readonly chunkDelayMs: Range;
	readonly firstChunkDelayMs: Range;
};

/** Answers of a few seconds each: 20–60 chunks of 40–100 characters every 50–100 ms, first chunk after 0.2–0.9 s. */
export const REALISTIC: PlanShape = {
	chunks: [20, 60],
	chunkSize: [40, 100],
	chunkDelayMs: [50, 100],
	firstChunkDelayMs: [200, 900],
};

/** A small deterministic generator (mulberry32), so every run streams the same answers. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
	};
}

/** `count` answers of varied length, pace and time to first token, asked in turn by `askers`. */
export function streamPlans(
	count: number,
	askers: readonly FakeUser[],
	shape: PlanShape,
	options: { seed: number; label: string },
): StreamPlan[] {
	const next = random(options.seed);
	const pick = ([min, max]: Range): number => min + Math.floor(next() * (max - min + 1));
	return Array.from({ length: count }, (_, index) => {
		const chunks = proseChunks(pick(shape.chunks), pick(shape.chunkSize));
		const member = askers[index % askers.length];
		if (!member) throw new Error('streamPlans: no members to ask');
		return {
			marker: `${options.label} stream ${index}:`,
			member,
			chunks,
			text: chunks.join(''),
			chunkDelayMs: pick(shape.chunkDelayMs),
			firstChunkDelayMs: pick(shape.firstChunkDelayMs),
		};
	});
}

/** What the fake model streams for the plan whose marker is in the request's last message. */
export function answerFor(plans: readonly StreamPlan[], lastMessage: string): ScriptedReply | undefined {
	const plan = plans.find((candidate) => lastMessage.includes(candidate.marker));
	if (!plan) return undefined;
	return {
		kind: 'reply',
		chunks: plan.chunks,
		chunkDelayMs: plan.chunkDelayMs,
		firstChunkDelayMs: plan.firstChunkDelayMs,
	};
}
