import { describe, expect, it } from 'vitest';
import { createLocalLimits } from '../../src/limits/memory/create-local-limits.js';
import { createModelGate } from '../../src/llm/model-gate.js';

// Two gates over the same shared lanes stand for two processes (Redis's own tests are in test/limits/).
function twoProcesses(requestsPerMinute: number) {
	const { lanes } = createLocalLimits();
	const errors: unknown[] = [];
	const shared = { lanes, onError: (error: unknown) => errors.push(error) };
	const limits = { requestsPerMinute, tokensPerMinute: undefined };
	return {
		one: createModelGate(limits, Date.now, shared),
		other: createModelGate(limits, Date.now, shared),
		errors,
	};
}

describe('model gates sharing their lanes', () => {
	it('count the calls of both processes in one window', async () => {
		const { one, other, errors } = twoProcesses(2);
		expect(await one.admit(['m'], 10)).toBe('m');
		expect(await other.admit(['m'], 10)).toBe('m');
		const third = other.admit(['m'], 10, AbortSignal.timeout(100));
		await expect(third).rejects.toThrow();
		expect(errors).toEqual([]);
	});

	it('hold a process off a lane another process met a 429 on, before it calls', async () => {
		const { one, other } = twoProcesses(100);
		one.holdOff('m', Date.now() + 60_000, 'quota-exhausted');
		await new Promise((resolve) => setImmediate(resolve));
		await expect(other.admit(['m'], 10)).rejects.toMatchObject({ kind: 'quota-exhausted' });
		expect(other.heldOff('m')).toMatchObject({ reason: 'quota-exhausted' });
		// A model with a lane free is not held back by it.
		expect(await other.admit(['m', 'n'], 10)).toBe('n');
	});
});
