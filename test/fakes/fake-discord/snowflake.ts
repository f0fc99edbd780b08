const DISCORD_EPOCH_MS = 1_420_070_400_000n;
const INCREMENT_MASK = 0xfffn;

export type SnowflakeGenerator = {
	/** A new snowflake whose timestamp is `at` (default: now, never going backwards). */
	next(at?: number): string;
};

export function createSnowflakeGenerator(workerId = 1): SnowflakeGenerator {
	let increment = 0n;
	let lastNow = 0;
	return {
		next(at?: number): string {
			let timestamp = at;
			if (timestamp === undefined) {
				lastNow = Math.max(Date.now(), lastNow);
				timestamp = lastNow;
			}
			increment = (increment + 1n) & INCREMENT_MASK;
			const id =
				((BigInt(Math.trunc(timestamp)) - DISCORD_EPOCH_MS) << 22n) | (BigInt(workerId & 0x1f) << 17n) | increment;
			return id.toString();
		},
	};
}

export function snowflakeTimestamp(id: string): number {
	return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

export function compareSnowflakes(a: string, b: string): number {
	const difference = BigInt(a) - BigInt(b);
	return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
