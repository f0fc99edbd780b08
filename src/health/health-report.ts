/** What `GET /healthz` answers; nothing in it is secret or comes from a conversation. */
export type HealthReport = {
	/** 'degraded': serving, but Redis is away and each process keeps its share of the limits (answered with 200). */
	readonly status: 'ok' | 'degraded' | 'unhealthy';
	readonly gateway: 'connected' | 'disconnected';
	/** `writable`, or why a write would fail now (`database is locked`, say). */
	readonly database: string;
	/** Model calls waiting for a stream slot, and holding one. */
	readonly queue: { readonly waiting: number; readonly running: number };
	/** With several processes: this process's shards (of `shardCount`). */
	readonly shards?: { readonly ids: readonly number[]; readonly count: number };
	/** With several processes: whether the limits are shared through Redis, or kept as local shares meanwhile. */
	readonly limits?: 'shared' | 'degraded';
};

export type HealthProbes = {
	readonly gatewayConnected: boolean;
	/** Undefined when the database takes writes; otherwise the error that says why not. */
	readonly databaseError: string | undefined;
	readonly queue: { readonly waiting: number; readonly running: number };
	readonly shards?: { readonly ids: readonly number[]; readonly count: number } | undefined;
	readonly limits?: 'local' | 'shared' | 'degraded' | undefined;
};

const MAX_ERROR_LENGTH = 120;

/** Healthy means connected to Discord's gateway and able to store turns; a long queue alone is not a failure. */
export function healthReport(probes: HealthProbes): HealthReport {
	const databaseWritable = probes.databaseError === undefined;
	const healthy = probes.gatewayConnected && databaseWritable;
	const limits = probes.limits === undefined || probes.limits === 'local' ? undefined : probes.limits;
	return {
		status: !healthy ? 'unhealthy' : limits === 'degraded' ? 'degraded' : 'ok',
		gateway: probes.gatewayConnected ? 'connected' : 'disconnected',
		database: databaseWritable ? 'writable' : shortError(probes.databaseError),
		queue: { waiting: probes.queue.waiting, running: probes.queue.running },
		...(probes.shards === undefined ? {} : { shards: probes.shards }),
		...(limits === undefined ? {} : { limits }),
	};
}

function shortError(error: string): string {
	const line = error.split('\n')[0]?.trim() || 'not writable';
	return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
