/** What `GET /healthz` answers; nothing in it is secret or comes from a conversation. */
export type HealthReport = {
	readonly status: 'ok' | 'unhealthy';
	readonly gateway: 'connected' | 'disconnected';
	/** `writable`, or why a write would fail now (`database is locked`, say). */
	readonly database: string;
	/** Model calls waiting for a stream slot, and holding one. */
	readonly queue: { readonly waiting: number; readonly running: number };
};

export type HealthProbes = {
	readonly gatewayConnected: boolean;
	/** Undefined when the database takes writes; otherwise the error that says why not. */
	readonly databaseError: string | undefined;
	readonly queue: { readonly waiting: number; readonly running: number };
};

const MAX_ERROR_LENGTH = 120;

/** Healthy means connected to Discord's gateway and able to store turns; a long queue alone is not a failure. */
export function healthReport(probes: HealthProbes): HealthReport {
	const databaseWritable = probes.databaseError === undefined;
	return {
		status: probes.gatewayConnected && databaseWritable ? 'ok' : 'unhealthy',
		gateway: probes.gatewayConnected ? 'connected' : 'disconnected',
		database: databaseWritable ? 'writable' : shortError(probes.databaseError),
		queue: { waiting: probes.queue.waiting, running: probes.queue.running },
	};
}

function shortError(error: string): string {
	const line = error.split('\n')[0]?.trim() || 'not writable';
	return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
