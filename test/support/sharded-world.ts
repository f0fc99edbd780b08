import { afterEach } from 'vitest';
import type { ShardedWorld } from './start-sharded-world.js';
import { startShardedWorld } from './start-sharded-world.js';

export type { ShardedWorld } from './start-sharded-world.js';

/** For a test file: a sharded world per test, with its processes killed and everything dropped after it. */
export function useShardedWorld(): (options?: { redisUrl?: string }) => Promise<ShardedWorld> {
	const cleanups: (() => Promise<unknown>)[] = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	});
	return (options = {}) =>
		startShardedWorld((cleanup) => {
			cleanups.push(cleanup);
		}, options);
}
