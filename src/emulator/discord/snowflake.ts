const DISCORD_EPOCH_MS = 1_420_070_400_000n;
const INCREMENT_MASK = 0xfffn;

export type SnowflakeGenerator = {
	/** A new snowflake whose timestamp is `at` (default: now, never going backwards). */
	next(at?: number): string;
	/**
	 * A new snowflake (now, or a few milliseconds later) that a guild with this id would have on shard `shard` of
	 * `shardCount`: the shard is `(id >> 22) % shardCount`, and `id >> 22` is the timestamp, so only it decides.
	 */
	onShard(shard: number, shardCount: number): string;
	/** Ends `startAt`: ids from now on are of the real clock. */
	release(): void;
};

/**
 * With `startAt`, ids minted without a time take that timestamp (and increments 1, 2, …) until `release()`: the same
 * calls in the same order give the same ids in every run, and every later id is newer.
 */
export function createSnowflakeGenerator(
	workerId = 1,
	options: { startAt?: number | undefined } = {},
): SnowflakeGenerator {
	let increment = 0n;
	let lastNow = 0;
	let pinned = options.startAt;
	const next = (at?: number): string => {
		let timestamp = at ?? pinned;
		if (timestamp === undefined) {
			lastNow = Math.max(Date.now(), lastNow);
			timestamp = lastNow;
		}
		increment = (increment + 1n) & INCREMENT_MASK;
		const id =
			((BigInt(Math.trunc(timestamp)) - DISCORD_EPOCH_MS) << 22n) | (BigInt(workerId & 0x1f) << 17n) | increment;
		return id.toString();
	};
	return {
		next,
		onShard(shard, shardCount) {
			requireShard(shard, shardCount);
			lastNow = Math.max(Date.now(), lastNow);
			const count = BigInt(shardCount);
			const current = (BigInt(lastNow) - DISCORD_EPOCH_MS) % count;
			// Later ids stay later: the clock of this generator moves to the minted timestamp.
			lastNow += Number((BigInt(shard) - current + count) % count);
			return next(lastNow);
		},
		release() {
			pinned = undefined;
		},
	};
}

function requireShard(shard: number, shardCount: number): void {
	if (!Number.isSafeInteger(shardCount) || shardCount < 1 || !Number.isSafeInteger(shard) || shard < 0) {
		throw new Error(`fake-discord: no shard ${shard} of ${shardCount}`);
	}
	if (shard >= shardCount) throw new Error(`fake-discord: shard ${shard} is not below the shard count ${shardCount}`);
}

/** The shard Discord sends a guild's events to: `(guild_id >> 22) % shardCount`. */
export function shardOf(guildId: string, shardCount: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A guild id (a snowflake of about now) on shard `shard` of `shardCount`, from a generator of its own. */
export function snowflakeOnShard(shard: number, shardCount: number): string {
	return standalone.onShard(shard, shardCount);
}

export function snowflakeTimestamp(id: string): number {
	return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

export function compareSnowflakes(a: string, b: string): number {
	const difference = BigInt(a) - BigInt(b);
	return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

const standalone = createSnowflakeGenerator(2);
