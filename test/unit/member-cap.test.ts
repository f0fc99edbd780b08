import { describe, expect, it } from 'vitest';
import { createMemberCap } from '../../src/access/member-cap.js';

describe('member cap', () => {
	it("counts a member's waiting calls up to the cap, each given back once, and forgets members with none", () => {
		const cap = createMemberCap(2);
		const first = cap.enter('alice');
		const second = cap.enter('alice');
		expect(cap.enter('alice')).toBeUndefined();
		expect(cap.enter('bob')).toBeDefined();
		first?.leave();
		first?.leave();
		expect(cap.waitingOf('alice')).toBe(1);
		expect(cap.enter('alice')).toBeDefined();
		expect(cap.enter('alice')).toBeUndefined();
		second?.leave();
		expect(cap.waitingOf('alice')).toBe(1);
	});
});
