import { describe, expect, it, vi } from 'vitest';
import { ModelError } from '../../src/llm/model-error.js';
import type { ModelLimits } from '../../src/llm/model-gate.js';
import { createModelGate, RATE_WINDOW_MS } from '../../src/llm/model-gate.js';
import { useFakeClock } from '../support/use-fake-clock.js';

const clock = useFakeClock();
const elapsed = clock.elapsed;

const gateWith = (limits: Partial<ModelLimits>) =>
	createModelGate({ requestsPerMinute: 100, tokensPerMinute: undefined, ...limits }, () => Date.now());

/** Follows a promise without awaiting it: whether it settled yet, and how. */
function watch<T>(promise: Promise<T>) {
	const state: { settled: boolean; value?: T; error?: unknown; at?: number } = { settled: false };
	void promise.then(
		(value) => {
			Object.assign(state, { settled: true, value, at: elapsed() });
		},
		(error: unknown) => {
			Object.assign(state, { settled: true, error, at: elapsed() });
		},
	);
	return state;
}

describe('createModelGate: requests per minute', () => {
	it('admits requestsPerMinute calls at once, and the next only when the oldest leaves the 61 s window', async () => {
		expect(RATE_WINDOW_MS).toBe(61_000);
		const gate = gateWith({ requestsPerMinute: 2 });
		await gate.admit(['a'], 0);
		await vi.advanceTimersByTimeAsync(1_000);
		await gate.admit(['a'], 0);
		const third = watch(gate.admit(['a'], 0));
		const fourth = watch(gate.admit(['a'], 0));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 1_001);
		expect(third.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(third).toMatchObject({ settled: true, value: 'a', at: RATE_WINDOW_MS });
		expect(fourth.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(fourth).toMatchObject({ settled: true, value: 'a', at: RATE_WINDOW_MS + 1_000 });
	});

	it('keeps a window per model: a full model does not hold back another', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		await gate.admit(['a'], 0);
		const other = watch(gate.admit(['b'], 0));
		const same = watch(gate.admit(['a'], 0));
		await vi.advanceTimersByTimeAsync(0);
		expect(other).toMatchObject({ settled: true, value: 'b', at: 0 });
		expect(same.settled).toBe(false);
	});

	it('picks the first model, in order of preference, that may take the call now', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		expect(await gate.admit(['a', 'b', 'c'], 0)).toBe('a');
		expect(await gate.admit(['a', 'b', 'c'], 0)).toBe('b');
		expect(await gate.admit(['c', 'a', 'b'], 0)).toBe('c');
		expect(elapsed()).toBe(0);
	});

	it('when no model may take the call, waits for whichever frees first and takes that one', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		await gate.admit(['a'], 0);
		await vi.advanceTimersByTimeAsync(10_000);
		await gate.admit(['b'], 0);
		// 'a' may take a call at 61 s but is held until 80 s; 'b' frees at 71 s.
		gate.holdOff('a', clock.start + 80_000, 'rate-limited');
		const call = watch(gate.admit(['a', 'b'], 0));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 1);
		expect(call.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(call).toMatchObject({ settled: true, value: 'b', at: 10_000 + RATE_WINDOW_MS });
	});

	it('an aborted admit rejects with the signal reason and takes no slot', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		await gate.admit(['a'], 0);
		const controller = new AbortController();
		const waiting = gate.admit(['a'], 0, controller.signal);
		const reason = new Error('member pressed stop');
		controller.abort(reason);
		await expect(waiting).rejects.toBe(reason);
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS);
		// The window holds the first call only: one new call goes now, the one after waits again.
		await gate.admit(['a'], 0);
		expect(elapsed()).toBe(RATE_WINDOW_MS);
		expect(gate.readyAt(['a'], 0)).toBe(clock.start + 2 * RATE_WINDOW_MS);
	});

	it('an admit whose signal is already aborted rejects without counting', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		const controller = new AbortController();
		const reason = new Error('gone');
		controller.abort(reason);
		await expect(gate.admit(['a'], 0, controller.signal)).rejects.toBe(reason);
		expect(gate.readyAt(['a'], 0)).toBeUndefined();
	});
});

describe('createModelGate: a model with its own requests per minute', () => {
	it('holds an image model to its own, smaller limit while other models keep theirs', async () => {
		const gate = gateWith({ requestsPerMinute: 5, requestsPerMinuteOf: { 'image-model': 1 } });
		expect(await gate.admit(['image-model'], 1)).toBe('image-model');
		const second = watch(gate.admit(['image-model'], 1));
		for (let index = 0; index < 5; index += 1) expect(await gate.admit(['chat-model'], 1)).toBe('chat-model');
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 1);
		expect(second.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(second).toMatchObject({ settled: true, value: 'image-model' });
	});
});

describe('createModelGate: tokens per minute', () => {
	it('with 1,000 tokens a minute, a second 600-token call waits until the first leaves the window', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		await gate.admit(['a'], 600);
		await vi.advanceTimersByTimeAsync(5_000);
		const second = watch(gate.admit(['a'], 600));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 5_001);
		expect(second.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(second).toMatchObject({ settled: true, value: 'a', at: RATE_WINDOW_MS });
	});

	it('admits calls at once while their tokens fit the budget together', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		await gate.admit(['a'], 400);
		await gate.admit(['a'], 600);
		expect(elapsed()).toBe(0);
		expect(gate.readyAt(['a'], 1)).toBe(clock.start + RATE_WINDOW_MS);
	});

	it('counts charged output tokens from when they were charged', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		await gate.admit(['a'], 100);
		await vi.advanceTimersByTimeAsync(10_000);
		gate.charge('a', 850);
		// Without the charge 100 + 200 would fit; with it the call waits for the charge to leave the window too.
		const next = watch(gate.admit(['a'], 200));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 1);
		expect(next.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(next).toMatchObject({ settled: true, value: 'a', at: 10_000 + RATE_WINDOW_MS });
	});

	it('waits only as long as needed: until enough of the oldest tokens left the window', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		await gate.admit(['a'], 300);
		await vi.advanceTimersByTimeAsync(10_000);
		await gate.admit(['a'], 300);
		await vi.advanceTimersByTimeAsync(10_000);
		await gate.admit(['a'], 300);
		const next = watch(gate.admit(['a'], 400));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 20_000);
		expect(next).toMatchObject({ settled: true, at: RATE_WINDOW_MS });
	});

	it('counts no token of a charge of zero or less', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		await gate.admit(['a'], 1_000);
		gate.charge('b', 0);
		gate.charge('b', -5);
		expect(gate.readyAt(['b'], 1_000)).toBeUndefined();
	});

	it('admits a call larger than the whole budget when the window is empty', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		expect(await gate.admit(['a'], 5_000)).toBe('a');
		expect(elapsed()).toBe(0);
	});

	it('makes a call larger than the whole budget wait until the window is empty', async () => {
		const gate = gateWith({ tokensPerMinute: 1_000 });
		await gate.admit(['a'], 100);
		await vi.advanceTimersByTimeAsync(20_000);
		await gate.admit(['a'], 100);
		const large = watch(gate.admit(['a'], 5_000));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS - 1);
		expect(large.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(20_000);
		expect(large).toMatchObject({ settled: true, value: 'a', at: 20_000 + RATE_WINDOW_MS });
	});

	it('puts no limit on tokens when tokensPerMinute is undefined', async () => {
		const gate = gateWith({ tokensPerMinute: undefined });
		await gate.admit(['a'], 10_000_000);
		gate.charge('a', 10_000_000);
		await gate.admit(['a'], 10_000_000);
		expect(elapsed()).toBe(0);
	});
});

describe('createModelGate: holds after a 429', () => {
	it("a 'rate-limited' hold makes calls on the model wait until it ends, then clears", async () => {
		const gate = gateWith({});
		gate.holdOff('a', clock.start + 30_000, 'rate-limited');
		expect(gate.heldOff('a')).toEqual({ until: clock.start + 30_000, reason: 'rate-limited' });
		expect(gate.heldOff('b')).toBeUndefined();
		const call = watch(gate.admit(['a'], 0));
		await vi.advanceTimersByTimeAsync(29_999);
		expect(call.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(call).toMatchObject({ settled: true, value: 'a', at: 30_000 });
		expect(gate.heldOff('a')).toBeUndefined();
	});

	it("a 'rate-limited' hold sends the call to the next model at once", async () => {
		const gate = gateWith({});
		gate.holdOff('a', clock.start + 30_000, 'rate-limited');
		expect(await gate.admit(['a', 'b'], 0)).toBe('b');
		expect(elapsed()).toBe(0);
	});

	it("a 'quota-exhausted' hold skips the model, even when the other model must be waited for", async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		await gate.admit(['b'], 0);
		gate.holdOff('a', clock.start + 3_600_000, 'quota-exhausted');
		const call = watch(gate.admit(['a', 'b'], 0));
		await vi.advanceTimersByTimeAsync(RATE_WINDOW_MS);
		expect(call).toMatchObject({ settled: true, value: 'b', at: RATE_WINDOW_MS });
	});

	it("throws a 'quota-exhausted' ModelError at once when every model of the call is exhausted", async () => {
		const gate = gateWith({});
		gate.holdOff('a', clock.start + 3_600_000, 'quota-exhausted');
		gate.holdOff('b', clock.start + 7_200_000, 'quota-exhausted');
		const call = gate.admit(['a', 'b'], 0);
		await expect(call).rejects.toBeInstanceOf(ModelError);
		await expect(call).rejects.toMatchObject({ kind: 'quota-exhausted', retryDelayMs: 3_600_000 });
		expect(elapsed()).toBe(0);
		// Another model is still there for calls that may use it.
		expect(await gate.admit(['a', 'c'], 0)).toBe('c');
	});

	it('uses the model again once its quota hold has passed', async () => {
		const gate = gateWith({});
		gate.holdOff('a', clock.start + 60_000, 'quota-exhausted');
		await expect(gate.admit(['a'], 0)).rejects.toMatchObject({ kind: 'quota-exhausted' });
		await vi.advanceTimersByTimeAsync(60_000);
		expect(await gate.admit(['a', 'b'], 0)).toBe('a');
		expect(gate.heldOff('a')).toBeUndefined();
	});

	it('never shortens a hold: a shorter holdOff after a longer one is ignored', () => {
		const gate = gateWith({});
		gate.holdOff('a', clock.start + 30_000, 'rate-limited');
		gate.holdOff('a', clock.start + 10_000, 'rate-limited');
		expect(gate.heldOff('a')).toEqual({ until: clock.start + 30_000, reason: 'rate-limited' });
		gate.holdOff('a', clock.start + 90_000, 'quota-exhausted');
		expect(gate.heldOff('a')).toEqual({ until: clock.start + 90_000, reason: 'quota-exhausted' });
	});

	it('a hold that is already over holds nothing', async () => {
		const gate = gateWith({});
		gate.holdOff('a', clock.start - 1, 'rate-limited');
		expect(gate.heldOff('a')).toBeUndefined();
		expect(await gate.admit(['a'], 0)).toBe('a');
	});
});

describe('createModelGate: readyAt', () => {
	it('is undefined when one of the models may take a call now', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		expect(gate.readyAt(['a'], 0)).toBeUndefined();
		await gate.admit(['a'], 0);
		expect(gate.readyAt(['a', 'b'], 0)).toBeUndefined();
	});

	it('is the earliest time any of the models could take the call', async () => {
		const gate = gateWith({ requestsPerMinute: 1, tokensPerMinute: 1_000 });
		await gate.admit(['a'], 0);
		await vi.advanceTimersByTimeAsync(5_000);
		gate.holdOff('b', clock.start + 40_000, 'rate-limited');
		expect(gate.readyAt(['a'], 0)).toBe(clock.start + RATE_WINDOW_MS);
		expect(gate.readyAt(['b'], 0)).toBe(clock.start + 40_000);
		expect(gate.readyAt(['a', 'b'], 0)).toBe(clock.start + 40_000);
		await gate.admit(['c'], 900);
		expect(gate.readyAt(['c'], 0)).toBe(clock.start + 5_000 + RATE_WINDOW_MS);
	});

	it('leaves out models whose quota is exhausted', async () => {
		const gate = gateWith({ requestsPerMinute: 1 });
		await gate.admit(['b'], 0);
		gate.holdOff('a', clock.start + 10_000, 'quota-exhausted');
		expect(gate.readyAt(['a', 'b'], 0)).toBe(clock.start + RATE_WINDOW_MS);
	});
});
