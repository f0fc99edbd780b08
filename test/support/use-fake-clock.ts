import { afterEach, beforeEach, vi } from 'vitest';

export type FakeClock = {
	/** Date.now() on the fake clock when the test began. */
	readonly start: number;
	/** The ms elapsed on the fake clock since the test began. */
	readonly elapsed: () => number;
};

/** Fake timers for every test of the file. */
export function useFakeClock(): FakeClock {
	let start = 0;
	beforeEach(() => {
		vi.useFakeTimers();
		start = Date.now();
	});
	afterEach(() => {
		vi.useRealTimers();
	});
	return {
		get start() {
			return start;
		},
		elapsed: (): number => Date.now() - start,
	};
}
