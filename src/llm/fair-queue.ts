import type { Queue, QueueAddOptions } from 'p-queue';

type RunFunction = () => Promise<unknown>;

export type FairQueueOptions = QueueAddOptions & {
	/** Whose call this is: waiting calls are shared fairly across members. @default the call's own id */
	readonly member?: string;
};

type Entry = {
	readonly id: string;
	readonly run: RunFunction;
	readonly member: string;
	readonly start: number;
	readonly order: number;
	priority: number;
};

/**
 * A p-queue `queueClass` that shares the model fairly across members instead of first-in-first-out (start-time
 * fair queuing): each call is stamped with the member's turn count, starting from where the queue is now, and the
 * lowest stamp goes next. So a member who just asked ten questions does not make everyone else wait behind all of
 * them: the next newcomer goes before their second. A member's own calls keep their order; a higher priority (a
 * retry) still goes first.
 */
export class FairQueue implements Queue<RunFunction, FairQueueOptions> {
	#entries: Entry[] = [];
	/** The start stamp of the call dequeued last: where the queue is now. */
	#now = 0;
	/** The stamp after each member's last queued call. */
	#next = new Map<string, number>();
	#order = 0;

	get size(): number {
		return this.#entries.length;
	}

	enqueue(run: RunFunction, options: Partial<FairQueueOptions> = {}): void {
		this.#order += 1;
		const id = options.id ?? `call:${this.#order}`;
		const member = options.member ?? `call:${id}`;
		const start = Math.max(this.#now, this.#next.get(member) ?? 0);
		this.#next.set(member, start + 1);
		this.#insert({ id, run, member, start, order: this.#order, priority: options.priority ?? 0 });
	}

	dequeue(): RunFunction | undefined {
		const entry = this.#entries.shift();
		if (!entry) return undefined;
		this.#now = Math.max(this.#now, entry.start);
		// Members whose stamps the queue has passed count from "now" again: forget them.
		for (const [member, next] of this.#next) if (next <= this.#now) this.#next.delete(member);
		return entry.run;
	}

	filter(options: Readonly<Partial<FairQueueOptions>>): RunFunction[] {
		return this.#entries
			.filter((entry) => options.priority === undefined || entry.priority === options.priority)
			.map((entry) => entry.run);
	}

	setPriority(id: string, priority: number): void {
		const entry = this.#take(id);
		if (!entry) throw new ReferenceError(`No promise function with the id "${id}" exists in the queue.`);
		entry.priority = priority;
		this.#insert(entry);
	}

	remove(id: string): void {
		this.#take(id);
	}

	/** How many waiting calls would start before `id` if no other call arrived; undefined when it is not waiting. */
	positionOf(id: string): number | undefined {
		const index = this.#entries.findIndex((entry) => entry.id === id);
		return index === -1 ? undefined : index;
	}

	/** Calls of this member still waiting. */
	waitingOf(member: string): number {
		return this.#entries.filter((entry) => entry.member === member).length;
	}

	// Kept sorted: higher priority first, then lower start stamp, then arrival.
	#insert(entry: Entry): void {
		const before = (other: Entry): boolean => {
			if (other.priority !== entry.priority) return entry.priority > other.priority;
			return entry.start !== other.start ? entry.start < other.start : entry.order < other.order;
		};
		const index = this.#entries.findIndex(before);
		if (index === -1) this.#entries.push(entry);
		else this.#entries.splice(index, 0, entry);
	}

	#take(id: string): Entry | undefined {
		const index = this.#entries.findIndex((entry) => entry.id === id);
		return index === -1 ? undefined : this.#entries.splice(index, 1)[0];
	}
}
