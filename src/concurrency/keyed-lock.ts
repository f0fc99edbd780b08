/** Runs tasks with the same key one after another, in arrival order; different keys run in parallel. */
export type KeyedLock = {
	run<T>(key: string, task: () => Promise<T>): Promise<T>;
};

export function createKeyedLock(): KeyedLock {
	const tails = new Map<string, Promise<unknown>>();
	return {
		run(key, task) {
			const previous = tails.get(key) ?? Promise.resolve();
			const result = previous.then(task, task);
			const tail = result.then(
				() => undefined,
				() => undefined,
			);
			tails.set(key, tail);
			// Forget the key once nothing is queued behind this task, so the map does not grow with every thread.
			void tail.then(() => {
				if (tails.get(key) === tail) tails.delete(key);
			});
			return result;
		},
	};
}
