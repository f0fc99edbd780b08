import { describe, expect, it } from 'vitest';
import { createLocalLimits } from '../../src/limits/memory/create-local-limits.js';
import { LANE_WINDOW_MS } from '../../src/limits/window-wait.js';
import { describeLimitsContract } from './limits-contract.js';

let clock = 1_000_000;
const now = (): number => clock;

describeLimitsContract('memory', {
	open: (laneWindowMs) => Promise.resolve(createLocalLimits({ now, laneWindowMs })),
	advance: (ms) => {
		clock += ms;
		return Promise.resolve();
	},
	now,
	state: 'local',
});

describe('local limits', () => {
	const limits = { requestsPerMinute: 3, tokensPerMinute: 100 };

	it('waits exactly until the oldest of the last requestsPerMinute calls is a window old', async () => {
		const { lanes } = createLocalLimits({ now });
		const start = clock;
		for (const at of [0, 10_000, 20_000]) {
			clock = start + at;
			expect(await lanes.admit({}, 'a', 1, limits)).toBe(0);
		}
		clock = start + 30_000;
		expect(await lanes.admit({}, 'a', 1, limits)).toBe(LANE_WINDOW_MS - 30_000);
		clock = start + LANE_WINDOW_MS;
		expect(await lanes.admit({}, 'a', 1, limits)).toBe(0);
		expect(await lanes.admit({}, 'a', 1, limits)).toBe(10_000);
	});

	it('waits until enough tokens have left the window, and lets a call larger than the budget go alone', async () => {
		const { lanes } = createLocalLimits({ now });
		const start = clock;
		expect(await lanes.admit({}, 'a', 60, limits)).toBe(0);
		clock = start + 5_000;
		expect(await lanes.admit({}, 'a', 30, limits)).toBe(0);
		expect(await lanes.admit({}, 'a', 50, limits)).toBe(LANE_WINDOW_MS - 5_000);
		expect(await lanes.admit({}, 'a', 500, limits)).toBe(LANE_WINDOW_MS);
		clock = start + 5_000 + LANE_WINDOW_MS;
		expect(await lanes.admit({}, 'a', 500, limits)).toBe(0);
	});
});
