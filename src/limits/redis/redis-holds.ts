import type { Hold, HoldReason } from '../../concurrency/shared-limits.js';
import type { RedisDeps } from './redis-deps.js';

const REASONS: readonly HoldReason[] = ['rate-limited', 'quota-exhausted', 'unavailable', 'no-credit'];

/** Lanes' hold-offs in Redis: a key per lane that expires with its hold. */
export type RedisHolds = {
	/** Sets `hold` on `lane` unless a later one is in force. */
	set(lane: string, hold: Hold): Promise<void>;
	get(lanes: readonly string[]): Promise<Map<string, Hold>>;
};

export function createRedisHolds({ redis, prefix, now }: Pick<RedisDeps, 'redis' | 'prefix' | 'now'>): RedisHolds {
	const keyOf = (lane: string): string => `${prefix}hold:${lane}`;
	const put = async (lane: string, hold: Hold): Promise<Hold | undefined> => {
		const ms = Math.ceil(hold.until - now());
		return ms > 0 ? parseHold(await redis.set(keyOf(lane), JSON.stringify(hold), 'PX', ms, 'GET')) : undefined;
	};
	return {
		async set(lane, hold) {
			// SET … GET tells which hold it replaced: an earlier one in force again if it ended later (a later hold wins).
			const replaced = await put(lane, hold);
			if (replaced && replaced.until > hold.until) await put(lane, replaced);
		},
		async get(lanes) {
			if (lanes.length === 0) return new Map();
			const values = await redis.mget(lanes.map(keyOf));
			const inForce = lanes.flatMap((lane, index): [string, Hold][] => {
				const hold = parseHold(values[index] ?? null);
				return hold && hold.until > now() ? [[lane, hold]] : [];
			});
			return new Map(inForce);
		},
	};
}

function parseHold(text: string | null): Hold | undefined {
	if (text === null) return undefined;
	try {
		const value: unknown = JSON.parse(text);
		if (typeof value !== 'object' || value === null || !('until' in value) || !('reason' in value)) return undefined;
		const { until, reason } = value;
		const known = REASONS.find((candidate) => candidate === reason);
		return typeof until === 'number' && known ? { until, reason: known } : undefined;
	} catch {
		return undefined;
	}
}
