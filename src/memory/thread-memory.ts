import { consumeStream } from '../chat/consume-stream.js';
import type { ContextMedia } from '../chat/turn-parts.js';
import { estimateTokens, promptSize } from '../chat/token-estimate.js';
import type { ChatModel, GenerationOptions } from '../llm/chat-model.js';
import type { ModelQueue } from '../llm/model-queue.js';
import type { Logger } from '../log/logger.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { ThreadSummary, ThreadSummaryStore } from '../store/ports/thread-summary-store.js';
import type { UsageStore } from '../store/ports/usage-store.js';
import { capFold } from './cap-fold.js';
import { planFold } from './plan-fold.js';
import { summaryRequest } from './summary-request.js';

export type ThreadMemoryDeps = {
	readonly store: SessionStore;
	readonly summaries: ThreadSummaryStore;
	readonly usage: UsageStore;
	readonly queue: ModelQueue;
	readonly model: ChatModel;
	readonly logger: Logger;
	/** CONTEXT_TOKEN_BUDGET: a fold leaves the newest turns within half of it. */
	readonly tokenBudget: number;
	readonly media: ContextMedia;
	readonly idleTimeoutMs: number;
	readonly modelsFor: (channelId: string) => Promise<readonly string[]>;
	/** The channel's settings as they apply to summaries (thinking only). */
	readonly optionsFor: (threadId: string, channelId: string) => Promise<GenerationOptions>;
	/** Queue lanes back to models and Vertex locations (see ModelAddressBook). @default every lane is a model */
	readonly modelOf?: (lane: string) => string;
	readonly locationOf?: (lane: string) => string | undefined;
	/** Aborts folds under way (shutdown). */
	readonly signal: AbortSignal;
	readonly now?: () => number;
};

export type ThreadMemory = {
	summaryOf(threadId: string): Promise<ThreadSummary | undefined>;
	/**
	 * A reply's context left older turns out: fold them into the summary in the background, one fold per thread at a
	 * time, below every live reply in the queue. Never waits for it.
	 */
	noteCut(threadId: string, memberId: string): void;
	/** Resolves once no fold is running (tests, shutdown). */
	settle(): Promise<void>;
};

// Below replies (0) and their retries (1): a summary only takes a slot no reply is waiting for.
export const MEMORY_PRIORITY = -1;
// The recent turns a fold leaves, as a share of the budget: the next fold waits until as much again was written,
// and the prompt's start (system instruction and summary) stays the same until then, for Gemini's cache.
const KEEP_SHARE = 0.5;
// A fold that failed is not tried again for this thread for a while: no retry loop on every reply.
const FAILURE_PAUSE_MS = 10 * 60_000;
// One run folds at most this many batches (a very long thread met for the first time), then waits for the next cut.
const MAX_FOLDS_PER_RUN = 4;

export function createThreadMemory(deps: ThreadMemoryDeps): ThreadMemory {
	const now = deps.now ?? Date.now;
	const running = new Map<string, Promise<void>>();
	const pausedUntil = new Map<string, number>();
	const words = Math.max(150, Math.min(1_200, Math.floor((deps.tokenBudget / 10) * 0.75)));

	async function foldOnce(threadId: string, memberId: string): Promise<boolean> {
		const session = await deps.store.getSession(threadId);
		if (!session || session.deletedAt !== undefined) return false;
		const readAt = now();
		const previous = await deps.summaries.summaryOf(threadId);
		const after = previous?.throughTurnId ?? 0;
		const boundary = await planFold(deps.store.contextNewestFirst(threadId, Number.MAX_SAFE_INTEGER, after), {
			keepTokens: deps.tokenBudget * KEEP_SHARE,
			charactersPerToken: session.charactersPerToken,
			media: deps.media,
		});
		if (boundary === undefined) return false;
		const candidates = (await deps.store.listTurns(threadId, { afterTurnId: after, throughTurnId: boundary })).filter(
			(turn) => turn.role === 'user' || turn.discordMessageId !== undefined,
		);
		const fold = capFold(candidates, { maxTokens: deps.tokenBudget, charactersPerToken: session.charactersPerToken });
		if (!fold) return false;
		const request = await summaryRequest(previous?.summary, fold.turns, { words, media: deps.media });
		const channelId = session.parentChannelId;
		const [models, options] = await Promise.all([deps.modelsFor(channelId), deps.optionsFor(threadId, channelId)]);
		let text = '';
		const queued = deps.queue.run(
			{
				member: `memory:${threadId}`,
				models,
				estimatedTokens: estimateTokens(promptSize(request), session.charactersPerToken),
				priority: MEMORY_PRIORITY,
				signal: deps.signal,
			},
			async (model) => {
				const finish = await consumeStream(
					deps,
					{ model, ...request, options },
					(delta) => {
						text += delta;
					},
					deps.signal,
				);
				deps.queue.charge(model, (finish.usage.outputTokens ?? 0) + (finish.usage.thoughtsTokens ?? 0));
				return { finish, lane: model };
			},
		);
		const { finish, lane } = await queued.result;
		const model = deps.modelOf?.(lane) ?? lane;
		await deps.usage.record({
			guildId: session.guildId,
			channelId,
			userId: memberId,
			kind: 'summary',
			model,
			location: deps.locationOf?.(lane),
			usage: finish.usage,
		});
		const summary = text.trim();
		if (finish.finishReason !== 'STOP' || summary === '') {
			throw new Error(`The summary did not finish (${finish.blockReason ?? finish.finishReason ?? 'no reason'})`);
		}
		const saved = await deps.summaries.replace(
			{
				threadId,
				summary,
				throughTurnId: fold.throughTurnId,
				turnCount: (previous?.turnCount ?? 0) + fold.turns.length,
				model,
			},
			after,
			readAt,
		);
		deps.logger.info(
			{ threadId, folded: fold.turns.length, throughTurnId: fold.throughTurnId, saved, usage: finish.usage },
			saved ? 'thread summary updated' : 'thread summary discarded: the thread changed meanwhile',
		);
		return saved;
	}

	async function run(threadId: string, memberId: string): Promise<void> {
		try {
			for (let folds = 0; folds < MAX_FOLDS_PER_RUN && !deps.signal.aborted; folds += 1) {
				if (!(await foldOnce(threadId, memberId))) return;
			}
		} catch (error) {
			if (deps.signal.aborted) return;
			// Only threads whose fold failed within the pause are kept, so the map stays small.
			for (const [paused, until] of pausedUntil) if (until <= now()) pausedUntil.delete(paused);
			pausedUntil.set(threadId, now() + FAILURE_PAUSE_MS);
			deps.logger.warn({ err: error, threadId }, 'thread summary failed; older turns stay cut until it works');
		}
	}

	return {
		summaryOf: (threadId) => deps.summaries.summaryOf(threadId),
		noteCut(threadId, memberId) {
			if (running.has(threadId) || deps.signal.aborted || (pausedUntil.get(threadId) ?? 0) > now()) return;
			const work = run(threadId, memberId).finally(() => running.delete(threadId));
			running.set(threadId, work);
		},
		async settle() {
			while (running.size > 0) await Promise.allSettled([...running.values()]);
		},
	};
}
