import PQueue from 'p-queue';
import { FairQueue } from './fair-queue.js';
import type { FairQueueOptions } from './fair-queue.js';
import type { HoldReason, ModelGate } from './model-gate.js';

export type QueuedCall = {
	/** The member whose message or command caused the call: waiting calls are shared fairly across members. */
	readonly member: string | undefined;
	/** Models to use, in order of preference: the first that may take the call gets it. */
	readonly models: readonly string[];
	/** Estimated prompt tokens, for the tokens-per-minute limit. */
	readonly estimatedTokens: number;
	/** Higher goes first (a retry, so a reply already in progress is not sent to the back). @default 0 */
	readonly priority?: number;
	readonly signal?: AbortSignal | undefined;
};

/** Where a call is: waiting for its turn (with how many calls go before it), for a rate window, or running. */
export type CallState =
	| { readonly kind: 'turn'; readonly ahead: number }
	| { readonly kind: 'rate-window'; readonly readyAt: number }
	| { readonly kind: 'running' };

export type QueuedTask<T> = (model: string) => Promise<T>;

/** Every model call runs inside one task of this queue, from the request until the stream ends. */
export type ModelQueue = {
	/** Queues `task`; the ticket names the call for `stateOf` until it settles. */
	run<T>(call: QueuedCall, task: QueuedTask<T>): { ticket: string; result: Promise<T> };
	stateOf(ticket: string): CallState | undefined;
	/** Calls of `member` not started yet. */
	waitingOf(member: string): number;
	/** Counts observed tokens (a call's output) against the model's tokens-per-minute window. */
	charge(model: string, tokens: number): void;
	holdOff(lane: string, until: number, reason: HoldReason): void;
	/** A lane's hold-off, or a model's when every one of its lanes is held off. */
	heldOff(name: string): { until: number; reason: HoldReason } | undefined;
	/** Whether a call that failed on `lane` can move to another lane of its model at once. */
	otherLaneOpen(lane: string): boolean;
	/** Calls waiting for a stream slot. */
	readonly waiting: number;
	/** Calls holding a stream slot: streaming, or held by the gate until their model's rate window allows them. */
	readonly running: number;
	/** Drops the calls still waiting for a slot (shutdown). */
	clear(): void;
};

/**
 * p-queue bounds how many streams run at once and, through FairQueue, picks whose call goes next; the gate then
 * holds a started call until its model's per-minute windows (requests and tokens) allow it.
 */
export function createModelQueue(options: { concurrency: number; gate: ModelGate }): ModelQueue {
	let fair: FairQueue | undefined;
	const track = (instance: FairQueue): void => {
		fair = instance;
	};
	// p-queue builds its own instance (and a new one on clear()): keep a handle for positions.
	class TrackedFairQueue extends FairQueue {
		constructor() {
			super();
			track(this);
		}
	}
	const queue = new PQueue<FairQueue, FairQueueOptions>({
		concurrency: options.concurrency,
		queueClass: TrackedFairQueue,
	});
	const { gate } = options;
	const states = new Map<string, { call: QueuedCall; state: 'waiting' | 'gate' | 'running' }>();
	let nextTicket = 0;

	return {
		run(call, task) {
			const ticket = `call-${(nextTicket += 1)}`;
			states.set(ticket, { call, state: 'waiting' });
			const result = queue
				.add(
					async () => {
						const entry = states.get(ticket);
						if (entry) entry.state = 'gate';
						const model = await gate.admit(call.models, call.estimatedTokens, call.signal);
						if (entry) entry.state = 'running';
						return task(model);
					},
					{
						id: ticket,
						priority: call.priority ?? 0,
						signal: call.signal,
						...(call.member === undefined ? {} : { member: call.member }),
					},
				)
				.finally(() => states.delete(ticket));
			return { ticket, result };
		},
		stateOf(ticket) {
			const entry = states.get(ticket);
			if (!entry) return undefined;
			if (entry.state === 'running') return { kind: 'running' };
			if (entry.state === 'gate') {
				const readyAt = gate.readyAt(entry.call.models, entry.call.estimatedTokens);
				return readyAt === undefined ? { kind: 'running' } : { kind: 'rate-window', readyAt };
			}
			return { kind: 'turn', ahead: (fair?.positionOf(ticket) ?? 0) + gateWaiters() };
		},
		waitingOf: (member) => fair?.waitingOf(member) ?? 0,
		charge: (model, tokens) => {
			gate.charge(model, tokens);
		},
		holdOff: (model, until, reason) => {
			gate.holdOff(model, until, reason);
		},
		heldOff: (name) => gate.heldOff(name),
		otherLaneOpen: (lane) => gate.otherLaneOpen(lane),
		get waiting() {
			return queue.size;
		},
		get running() {
			return queue.pending;
		},
		clear() {
			queue.clear();
		},
	};

	/** Calls that have a slot but wait for a rate window also go first. */
	function gateWaiters(): number {
		let count = 0;
		for (const { state } of states.values()) if (state === 'gate') count += 1;
		return count;
	}
}
