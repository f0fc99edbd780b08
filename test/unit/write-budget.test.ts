import { describe, expect, it, vi } from 'vitest';
import type { WriteBudget, WriteBudgetOptions, WriteUrgency } from '../../src/reply/write-budget.js';
import { createWriteBudget } from '../../src/reply/write-budget.js';
import { useFakeClock } from '../support/use-fake-clock.js';

const clock = useFakeClock();
const elapsed = clock.elapsed;

const budgetWith = (options: Partial<WriteBudgetOptions> = {}): WriteBudget =>
	createWriteBudget({
		perChannel: { limit: 5, windowMs: 5_000 },
		global: { limit: 50, windowMs: 1_000 },
		channelReserve: 0,
		globalReserve: 0,
		now: () => Date.now(),
		...options,
	});

type Grant = { settled: boolean; at?: number; done?: () => void; error?: unknown };

/** Asks for a write without awaiting it: whether and when it was granted (or rejected). */
function ask(budget: WriteBudget, channelId: string | undefined, urgency: WriteUrgency, signal?: AbortSignal) {
	const grant: Grant = { settled: false };
	void budget.acquire(channelId, urgency, signal).then(
		(done) => {
			Object.assign(grant, { settled: true, at: elapsed(), done });
		},
		(error: unknown) => {
			Object.assign(grant, { settled: true, at: elapsed(), error });
		},
	);
	return grant;
}

/** Makes `count` writes that are granted and finish at once. */
async function writeNow(budget: WriteBudget, channelId: string | undefined, urgency: WriteUrgency, count = 1) {
	for (let index = 0; index < count; index += 1) {
		const done = await budget.acquire(channelId, urgency);
		done();
	}
}

/** Whether a write is granted right now, without leaving it waiting: ask and abort if it waits. */
async function grantedNow(budget: WriteBudget, channelId: string | undefined, urgency: WriteUrgency) {
	const controller = new AbortController();
	const grant = ask(budget, channelId, urgency, controller.signal);
	await vi.advanceTimersByTimeAsync(0);
	if (grant.settled) {
		grant.done?.();
		return true;
	}
	controller.abort(new Error('probe'));
	await vi.advanceTimersByTimeAsync(0);
	return false;
}

describe('createWriteBudget: per channel', () => {
	it('lets 5 writes per 5 s through in a channel; the 6th waits for the oldest to leave the window, another channel does not', async () => {
		const budget = budgetWith();
		await writeNow(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(1_000);
		await writeNow(budget, 'c1', 'urgent', 4);
		const sixth = ask(budget, 'c1', 'urgent');
		const elsewhere = ask(budget, 'c2', 'urgent');
		await vi.advanceTimersByTimeAsync(0);
		expect(elsewhere).toMatchObject({ settled: true, at: 1_000 });
		expect(sixth.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(3_999);
		expect(sixth.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(sixth).toMatchObject({ settled: true, at: 5_000 });
		expect(sixth.error).toBeUndefined();
	});

	it('counts a slot from when the write finished, and holds it while the write is in flight', async () => {
		const budget = budgetWith({ perChannel: { limit: 1, windowMs: 5_000 } });
		const first = await budget.acquire('c1', 'urgent');
		const second = ask(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(10_000);
		expect(second.settled).toBe(false);
		first();
		await vi.advanceTimersByTimeAsync(4_999);
		expect(second.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(second).toMatchObject({ settled: true, at: 15_000 });
	});

	it('serves waiters of the same urgency in the order they asked', async () => {
		const budget = budgetWith({ perChannel: { limit: 1, windowMs: 1_000 } });
		await writeNow(budget, 'c1', 'steady');
		const order: string[] = [];
		const names = ['first', 'second', 'third'];
		const all = names.map(async (name) => {
			const done = await budget.acquire('c1', 'steady');
			order.push(name);
			done();
		});
		await vi.advanceTimersByTimeAsync(3_000);
		await Promise.all(all);
		expect(order).toEqual(names);
	});

	it('calling done() twice counts the write once', async () => {
		const budget = budgetWith({ perChannel: { limit: 2, windowMs: 5_000 }, global: { limit: 2, windowMs: 5_000 } });
		const done = await budget.acquire('c1', 'urgent');
		done();
		done();
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
		// Once those writes left the window, the channel and the bot take exactly `limit` writes again.
		await vi.advanceTimersByTimeAsync(5_000);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
		expect(await grantedNow(budget, undefined, 'urgent')).toBe(false);
	});
});

describe('createWriteBudget: urgency', () => {
	it('stops steady writes at limit − reserve, leaving the last slot to an urgent write, which goes at once', async () => {
		const budget = budgetWith({ channelReserve: 1 });
		await writeNow(budget, 'c1', 'steady', 4);
		const steady = ask(budget, 'c1', 'steady');
		await vi.advanceTimersByTimeAsync(0);
		expect(steady.settled).toBe(false);
		const urgent = ask(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(0);
		expect(urgent).toMatchObject({ settled: true, at: 0 });
		urgent.done?.();
		// The reserve was for urgent writes only: the channel is now full for everyone.
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
		await vi.advanceTimersByTimeAsync(5_000);
		expect(steady).toMatchObject({ settled: true, at: 5_000 });
	});

	it('serves an urgent waiter before an older steady waiter when a slot frees', async () => {
		const budget = budgetWith({ perChannel: { limit: 2, windowMs: 5_000 } });
		await writeNow(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(1_000);
		await writeNow(budget, 'c1', 'urgent');
		const steady = ask(budget, 'c1', 'steady');
		await vi.advanceTimersByTimeAsync(1_000);
		const urgent = ask(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(2_999);
		expect(urgent.settled).toBe(false);
		expect(steady.settled).toBe(false);
		// One slot frees at 5 s: the urgent write takes it, the steady one waits for the next.
		await vi.advanceTimersByTimeAsync(1);
		expect(urgent).toMatchObject({ settled: true, at: 5_000 });
		expect(steady.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(steady).toMatchObject({ settled: true, at: 6_000 });
	});

	it('does not count idle writes (typing) against the channel', async () => {
		const budget = budgetWith();
		await writeNow(budget, 'c1', 'idle', 10);
		await writeNow(budget, 'c1', 'urgent', 5);
		expect(elapsed()).toBe(0);
		// The channel is full now, and typing still goes.
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
		expect(await grantedNow(budget, 'c1', 'idle')).toBe(true);
	});

	it('counts idle writes against the global limit, leaving twice globalReserve to the other writes', async () => {
		const budget = budgetWith({ global: { limit: 4, windowMs: 1_000 }, globalReserve: 1 });
		await writeNow(budget, 'c1', 'idle', 2);
		expect(await grantedNow(budget, 'c2', 'idle')).toBe(false);
		expect(await grantedNow(budget, 'c2', 'steady')).toBe(true);
		expect(await grantedNow(budget, 'c3', 'steady')).toBe(false);
		expect(await grantedNow(budget, 'c3', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c4', 'urgent')).toBe(false);
	});

	it('stops steady writes at global limit − globalReserve across channels', async () => {
		const budget = budgetWith({ global: { limit: 5, windowMs: 1_000 }, globalReserve: 2 });
		await writeNow(budget, 'c1', 'steady');
		await writeNow(budget, 'c2', 'steady');
		await writeNow(budget, 'c3', 'steady');
		const steady = ask(budget, 'c4', 'steady');
		await vi.advanceTimersByTimeAsync(0);
		expect(steady.settled).toBe(false);
		expect(await grantedNow(budget, 'c5', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c6', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c7', 'urgent')).toBe(false);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(steady).toMatchObject({ settled: true, at: 1_000 });
	});
});

describe('createWriteBudget: global', () => {
	it('applies the global limit across channels', async () => {
		const budget = budgetWith({ global: { limit: 3, windowMs: 1_000 } });
		await writeNow(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(200);
		await writeNow(budget, 'c2', 'urgent');
		await writeNow(budget, 'c3', 'urgent');
		const fourth = ask(budget, 'c4', 'urgent');
		await vi.advanceTimersByTimeAsync(799);
		expect(fourth.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(fourth).toMatchObject({ settled: true, at: 1_000 });
	});

	it('applies only the global limit to a write without a channel', async () => {
		const budget = budgetWith({ perChannel: { limit: 1, windowMs: 5_000 }, global: { limit: 3, windowMs: 1_000 } });
		await writeNow(budget, undefined, 'urgent', 2);
		expect(await grantedNow(budget, undefined, 'urgent')).toBe(true);
		expect(await grantedNow(budget, undefined, 'urgent')).toBe(false);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
	});
});

describe('createWriteBudget: abort', () => {
	it('an aborted acquire rejects with the signal reason and frees nothing', async () => {
		const budget = budgetWith({ perChannel: { limit: 2, windowMs: 5_000 } });
		await writeNow(budget, 'c1', 'urgent', 2);
		const controller = new AbortController();
		const aborted = ask(budget, 'c1', 'urgent', controller.signal);
		const later = ask(budget, 'c1', 'urgent');
		await vi.advanceTimersByTimeAsync(1_000);
		const reason = new Error('reply stopped');
		controller.abort(reason);
		await vi.advanceTimersByTimeAsync(0);
		expect(aborted).toMatchObject({ settled: true, at: 1_000, error: reason });
		expect(aborted.done).toBeUndefined();
		// The abort gave no slot back: the next write still waits for the window.
		expect(later.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(3_999);
		expect(later.settled).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(later).toMatchObject({ settled: true, at: 5_000 });
		later.done?.();
		// Nor did the aborted acquire take one: after `later`, one slot is left in the window.
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(true);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
	});

	it('an acquire whose signal is already aborted rejects at once without taking a slot', async () => {
		const budget = budgetWith({ perChannel: { limit: 1, windowMs: 5_000 } });
		const controller = new AbortController();
		const reason = new Error('gone');
		controller.abort(reason);
		await expect(budget.acquire('c1', 'urgent', controller.signal)).rejects.toBe(reason);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(true);
	});

	it('aborting after the grant changes nothing: the write keeps its slot until done', async () => {
		const budget = budgetWith({ perChannel: { limit: 1, windowMs: 5_000 } });
		const controller = new AbortController();
		const done = await budget.acquire('c1', 'urgent', controller.signal);
		controller.abort(new Error('late'));
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(false);
		done();
		await vi.advanceTimersByTimeAsync(5_000);
		expect(await grantedNow(budget, 'c1', 'urgent')).toBe(true);
	});
});
