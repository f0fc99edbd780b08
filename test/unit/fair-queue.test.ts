import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../src/llm/fair-queue.js';

type Run = () => Promise<unknown>;

/** A FairQueue whose calls are named by their ids, so what `dequeue` returns can be read back. */
function namedQueue() {
	const queue = new FairQueue();
	const names = new Map<Run, string>();
	const add = (id: string, member: string | undefined, priority = 0): void => {
		const run: Run = () => Promise.resolve(id);
		names.set(run, id);
		queue.enqueue(run, { id, priority, ...(member === undefined ? {} : { member }) });
	};
	const next = (): string | undefined => {
		const run = queue.dequeue();
		return run === undefined ? undefined : names.get(run);
	};
	const drain = (): string[] => {
		const order: string[] = [];
		for (let id = next(); id !== undefined; id = next()) order.push(id);
		return order;
	};
	return { queue, add, next, drain };
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failing case can be replayed. */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

describe('FairQueue', () => {
	it("serves another member's only call second, even behind a member with ten waiting calls", () => {
		const { add, drain } = namedQueue();
		for (let index = 1; index <= 10; index += 1) add(`alice-${index}`, 'alice');
		add('bob-1', 'bob');
		const order = drain();
		expect(order.indexOf('bob-1')).toBe(1);
		expect(order).toHaveLength(11);
	});

	it('interleaves three members one call at a time: A1 B1 C1 A2 B2 A3', () => {
		const { add, drain } = namedQueue();
		add('A1', 'a');
		add('A2', 'a');
		add('A3', 'a');
		add('B1', 'b');
		add('B2', 'b');
		add('C1', 'c');
		expect(drain()).toEqual(['A1', 'B1', 'C1', 'A2', 'B2', 'A3']);
	});

	it("keeps each member's own calls in the order they were queued", () => {
		const { add, drain } = namedQueue();
		const queued: Record<string, string[]> = { a: [], b: [], c: [] };
		const members = ['a', 'b', 'a', 'a', 'c', 'b', 'a', 'c', 'b', 'a'];
		members.forEach((member, index) => {
			const id = `${member}-${index}`;
			queued[member]!.push(id);
			add(id, member);
		});
		const order = drain();
		for (const [member, ids] of Object.entries(queued)) {
			expect(order.filter((id) => id.startsWith(`${member}-`))).toEqual(ids);
		}
	});

	it('serves every higher-priority call before any lower-priority one, round-robin within a priority', () => {
		const { add, drain } = namedQueue();
		add('a-low-1', 'a');
		add('a-low-2', 'a');
		add('b-low-1', 'b');
		add('b-high-1', 'b', 1);
		add('a-high-1', 'a', 1);
		add('b-high-2', 'b', 1);
		add('c-top', 'c', 5);
		add('c-below', 'c', -1);
		expect(drain()).toEqual(['c-top', 'b-high-1', 'a-high-1', 'b-high-2', 'a-low-1', 'b-low-1', 'a-low-2', 'c-below']);
	});

	it('counts the turns a member already had when they queue again; equal turns go in arrival order', () => {
		const { add, next, drain } = namedQueue();
		add('A1', 'a');
		add('B1', 'b');
		add('B2', 'b');
		expect(next()).toBe('A1');
		add('A2', 'a');
		expect(drain()).toEqual(['B1', 'B2', 'A2']);
	});

	it('puts a newcomer right after the call now being served, ahead of a flooding member', () => {
		const { add, next, drain } = namedQueue();
		for (const n of [1, 2, 3, 4]) add(`A${n}`, 'a');
		expect(next()).toBe('A1');
		add('B1', 'b');
		expect(drain()).toEqual(['B1', 'A2', 'A3', 'A4']);
	});

	it('treats each call without a member as a member of its own', () => {
		const { queue, add, drain } = namedQueue();
		add('a1', 'a');
		add('a2', 'a');
		add('a3', 'a');
		add('solo1', undefined);
		add('solo2', undefined);
		expect(queue.waitingOf('a')).toBe(3);
		expect(drain()).toEqual(['a1', 'solo1', 'solo2', 'a2', 'a3']);
	});

	it('positionOf equals the place each waiting call takes in the actual dequeue order', () => {
		const { queue, add, next, drain } = namedQueue();
		add('a1', 'a');
		add('a2', 'a');
		add('b1', 'b', 2);
		add('a3', 'a');
		add('c1', 'c');
		add('b2', 'b');
		add('a4', 'a', 2);
		add('b3', 'b', 2);
		add('c2', 'c', -3);
		add('d1', 'd');
		// Part of the line has moved on before the positions are read.
		expect(next()).toBe('b1');
		const ids = ['a1', 'a2', 'a3', 'a4', 'b2', 'b3', 'c1', 'c2', 'd1'];
		const positions = new Map(ids.map((id) => [id, queue.positionOf(id)]));
		const order = drain();
		expect(order).toHaveLength(ids.length);
		for (const id of ids) expect(positions.get(id), id).toBe(order.indexOf(id));
	});

	it('positionOf matches the dequeue order in random mixes of members, priorities, removals and re-prioritising', () => {
		for (let seed = 1; seed <= 40; seed += 1) {
			const random = seeded(seed);
			const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
			const { queue, add, next, drain } = namedQueue();
			const waiting = new Set<string>();
			for (let step = 0; step < 30; step += 1) {
				const roll = random();
				if (roll < 0.65 || waiting.size === 0) {
					const id = `call-${step}`;
					add(id, pick(['a', 'b', 'c', 'd']), pick([0, 0, 0, 1, 2]));
					waiting.add(id);
				} else if (roll < 0.8) {
					const id = next();
					if (id !== undefined) waiting.delete(id);
				} else if (roll < 0.9) {
					const id = pick([...waiting]);
					queue.remove(id);
					waiting.delete(id);
				} else {
					queue.setPriority(pick([...waiting]), pick([0, 1, 2, 3]));
				}
			}
			expect(queue.size, `seed ${seed}`).toBe(waiting.size);
			const positions = new Map([...waiting].map((id) => [id, queue.positionOf(id)]));
			const order = drain();
			expect(order.length, `seed ${seed}`).toBe(waiting.size);
			for (const id of waiting) expect(positions.get(id), `seed ${seed}, ${id}`).toBe(order.indexOf(id));
		}
	});

	it('positionOf is undefined for an unknown id and for calls already dequeued or removed', () => {
		const { queue, add, next } = namedQueue();
		add('a1', 'a');
		add('a2', 'a');
		add('b1', 'b');
		expect(queue.positionOf('nope')).toBeUndefined();
		expect(next()).toBe('a1');
		expect(queue.positionOf('a1')).toBeUndefined();
		queue.remove('a2');
		expect(queue.positionOf('a2')).toBeUndefined();
		expect(queue.positionOf('b1')).toBe(0);
	});

	it('remove takes out only that call and keeps size right; an unknown id changes nothing', () => {
		const { queue, add, drain } = namedQueue();
		add('a1', 'a');
		add('a2', 'a');
		add('b1', 'b');
		add('c1', 'c');
		expect(queue.size).toBe(4);
		queue.remove('a2');
		expect(queue.size).toBe(3);
		queue.remove('b1');
		expect(queue.size).toBe(2);
		queue.remove('nope');
		queue.remove('b1');
		expect(queue.size).toBe(2);
		expect(drain()).toEqual(['a1', 'c1']);
		expect(queue.size).toBe(0);
	});

	it('setPriority moves a waiting call ahead without changing size, and throws for an unknown id', () => {
		const { queue, add, drain } = namedQueue();
		add('a1', 'a');
		add('b1', 'b');
		add('c1', 'c');
		queue.setPriority('c1', 1);
		expect(queue.size).toBe(3);
		expect(queue.positionOf('c1')).toBe(0);
		expect(() => {
			queue.setPriority('nope', 1);
		}).toThrow(ReferenceError);
		expect(queue.size).toBe(3);
		expect(drain()).toEqual(['c1', 'a1', 'b1']);
		expect(queue.size).toBe(0);
	});

	it("setPriority keeps the call the member's and its place after the member's other calls at that priority", () => {
		const { queue, add, drain } = namedQueue();
		add('a-high', 'a', 1);
		add('a-low', 'a');
		add('b-high', 'b', 1);
		queue.setPriority('a-low', 1);
		expect(queue.waitingOf('a')).toBe(2);
		expect(drain()).toEqual(['a-high', 'b-high', 'a-low']);
	});

	it("waitingOf counts a member's waiting calls across priorities, and drops as they leave", () => {
		const { queue, add, next } = namedQueue();
		add('a1', 'a');
		add('a2', 'a', 1);
		add('a3', 'a');
		add('b1', 'b');
		expect(queue.waitingOf('a')).toBe(3);
		expect(queue.waitingOf('b')).toBe(1);
		expect(queue.waitingOf('nobody')).toBe(0);
		expect(next()).toBe('a2');
		expect(queue.waitingOf('a')).toBe(2);
		queue.remove('a3');
		expect(queue.waitingOf('a')).toBe(1);
		expect(next()).toBe('a1');
		expect(queue.waitingOf('a')).toBe(0);
		expect(queue.waitingOf('b')).toBe(1);
	});

	it('returns undefined from an empty queue and keeps size at 0', () => {
		const { queue, add, next } = namedQueue();
		expect(next()).toBeUndefined();
		expect(queue.size).toBe(0);
		add('a1', 'a');
		expect(next()).toBe('a1');
		expect(next()).toBeUndefined();
		expect(queue.size).toBe(0);
	});

	it("filter returns the waiting calls, or only one priority's", () => {
		const { queue, add } = namedQueue();
		add('a1', 'a');
		add('b1', 'b', 1);
		add('b2', 'b');
		expect(queue.filter({})).toHaveLength(3);
		expect(queue.filter({ priority: 1 })).toHaveLength(1);
		expect(queue.filter({ priority: 7 })).toHaveLength(0);
	});
});
