import { describe, expect, it } from 'vitest';
import { planShards, shardIdsText } from '../../src/cluster/plan-shards.js';

describe('planShards', () => {
	it('splits the shards into runs of consecutive ids, one per process, the first ones a shard longer', () => {
		expect(planShards(4, 2)).toEqual([
			[0, 1],
			[2, 3],
		]);
		expect(planShards(5, 2)).toEqual([
			[0, 1, 2],
			[3, 4],
		]);
		expect(planShards(1, 1)).toEqual([[0]]);
	});

	it('never starts a process without a shard', () => {
		expect(planShards(2, 3)).toEqual([[0], [1]]);
	});

	it('writes a run the way SHARD_IDS reads it', () => {
		expect(shardIdsText([4, 5, 6, 7])).toBe('4-7');
		expect(shardIdsText([3])).toBe('3');
	});
});
