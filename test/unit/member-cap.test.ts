import { describe, expect, it } from 'vitest';
import { createMemberCap } from '../../src/access/member-cap.js';
import { createLocalLimits } from '../../src/limits/memory/create-local-limits.js';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('member cap', () => {
	it("counts a member's waiting calls up to the cap, and gives each place back once", async () => {
		const cap = createMemberCap(2, createLocalLimits().counters);
		const first = await cap.enter('alice');
		const second = await cap.enter('alice');
		expect(await cap.enter('alice')).toBeUndefined();
		expect(await cap.enter('bob')).toBeDefined();
		first?.leave();
		first?.leave();
		await settled();
		expect(await cap.enter('alice')).toBeDefined();
		expect(await cap.enter('alice')).toBeUndefined();
		second?.leave();
		await settled();
		expect(await cap.enter('alice')).toBeDefined();
		expect(await cap.enter('alice')).toBeUndefined();
	});

	it('shares the places of every process that counts in the same counters', async () => {
		const counters = createLocalLimits().counters;
		const one = createMemberCap(1, counters);
		const other = createMemberCap(1, counters);
		const ticket = await one.enter('alice');
		expect(await other.enter('alice')).toBeUndefined();
		ticket?.leave();
		await settled();
		expect(await other.enter('alice')).toBeDefined();
	});
});
