import type { Generate, ReplyOutcome } from '../chat/generate-reply.js';
import type { ReplyTarget } from '../reply/reply-target.js';
import type { GenerationOptions } from '../llm/chat-model.js';
import { ModelError } from '../llm/model-error.js';
import type { UsageCharge } from '../access/budget-ledger.js';
import { UserFacingError } from '../domain/user-facing-error.js';
import type { SummaryContext, SummaryStep } from './build-summary-prompt.js';
import { buildSummaryPrompt } from './build-summary-prompt.js';
import { chunkTranscript } from './chunk-transcript.js';

/** Parts one summary may have: keeps a runaway request within the quota and Discord's 15 minutes. */
export const MAX_PARTS = 20;

const TOO_SLOW =
	'The summary took too long (Discord gives a command 15 minutes). Try fewer `messages` or a shorter `since`.';

export type SummarizeTranscriptDeps = {
	readonly generate: Generate;
	/** The channel's model, then the fallbacks. */
	readonly models: readonly string[];
	/** Who asked: the call takes its turn in the queue among that member's calls. */
	readonly member: string;
	/** The channel's /settings as they apply to summaries. */
	readonly options?: GenerationOptions | undefined;
	readonly context: SummaryContext;
	/** Estimated input tokens per call (SUMMARY_CHUNK_TOKENS). */
	readonly chunkTokens: number;
	/** When to stop (epoch ms), shortly before Discord stops accepting answers to the command. */
	readonly deadline: number;
	/** The daily budgets, for each call (a part, the combination). */
	readonly charge: UsageCharge;
	/** The first model call started (the summary no longer waits in the queue). */
	readonly onStarted?: () => void;
	/** Shows how far a summary in several parts has got. */
	readonly onProgress: (line: string) => Promise<void>;
};

export type SummaryResult = { readonly outcome: ReplyOutcome; readonly parts: number };

type Call = (step: SummaryStep, into: ReplyTarget) => Promise<ReplyOutcome>;

/**
 * Summarizes transcript entries into `target`. A transcript within the chunk budget takes one streamed call;
 * a longer one is cut into parts summarized one after the other (so a summary never holds more than one queue
 * slot, and the first failure stops it), then a streamed call combines their notes.
 */
export async function summarizeTranscript(
	entries: readonly string[],
	target: ReplyTarget,
	deps: SummarizeTranscriptDeps,
): Promise<SummaryResult> {
	const chunks = chunkTranscript(entries, deps.chunkTokens);
	if (chunks.length > MAX_PARTS) {
		throw new UserFacingError(
			`That is too much to summarize at once (${chunks.length} parts; the limit is ${MAX_PARTS}). ` +
				'Use `messages` or `since` to pick a shorter stretch.',
		);
	}
	const stop = new AbortController();
	const timer = setTimeout(
		() => {
			stop.abort(new ModelError('stopped', TOO_SLOW));
		},
		Math.max(0, deps.deadline - Date.now()),
	);
	const call: Call = async (step, into) => {
		const prompt = buildSummaryPrompt(deps.context, step);
		return deps.generate(
			{
				models: deps.models,
				member: deps.member,
				options: deps.options,
				build: () => Promise.resolve(prompt),
				charge: deps.charge,
			},
			into,
			stop.signal,
			deps.onStarted ? { onStarted: deps.onStarted } : {},
		);
	};
	try {
		if (chunks.length <= 1) {
			return { outcome: await call({ kind: 'whole', transcript: chunks[0] ?? '' }, target), parts: 1 };
		}
		const notes = await summarizeParts(chunks, call, deps.onProgress, stop.signal);
		await deps.onProgress(`⏳ Combining the notes on ${chunks.length} parts…`);
		return { outcome: await call({ kind: 'combine', notes }, target), parts: chunks.length };
	} finally {
		clearTimeout(timer);
	}
}

async function summarizeParts(
	chunks: readonly string[],
	call: Call,
	onProgress: (line: string) => Promise<void>,
	signal: AbortSignal,
): Promise<string[]> {
	const notes: string[] = [];
	for (const [offset, transcript] of chunks.entries()) {
		const index = offset + 1;
		await onProgress(`⏳ Summarizing part ${index} of ${chunks.length}…`);
		const outcome = await call({ kind: 'part', index, count: chunks.length, transcript }, DISCARDING_TARGET);
		if (outcome.status !== 'complete') {
			const note = failureNote(outcome, signal);
			throw new UserFacingError(`I could not summarize part ${index} of ${chunks.length}: ${note}`);
		}
		notes.push(outcome.text);
	}
	return notes;
}

/** A part's notes are only input for the next step: nothing is shown, the text comes back in the outcome. */
const DISCARDING_TARGET: ReplyTarget = {
	channelId: undefined,
	send: () => Promise.resolve({ id: 'summary-part', edit: () => Promise.resolve(), delete: () => Promise.resolve() }),
	sendTyping: () => Promise.resolve(),
};

function failureNote(outcome: ReplyOutcome, signal: AbortSignal): string {
	if (signal.aborted && signal.reason instanceof Error) return signal.reason.message;
	// Without text, the note is the one written for members ("Gemini is overloaded…").
	if (outcome.text === '' && outcome.note !== undefined) return outcome.note;
	return 'The model stopped before finishing it. Please try again.';
}
