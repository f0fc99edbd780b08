import type { Client } from 'discord.js';
import type { ModelQueue } from '../llm/model-queue.js';
import type { Logger } from '../log/logger.js';
import type { StoreDatabase } from '../store/ports/stores.js';
import { createCachedCheck } from './cached-check.js';
import type { HealthServer } from './create-health-server.js';
import { createHealthServer } from './create-health-server.js';
import { healthReport } from './health-report.js';
import { isGatewayConnected } from './is-gateway-connected.js';

export type HealthCheckDeps = {
	/** HEALTH_PORT; undefined leaves the health check off. */
	readonly port: number | undefined;
	/** HEALTH_HOST: the address to listen on. */
	readonly host: string;
	readonly client: Client;
	readonly database: Pick<StoreDatabase, 'probe'>;
	readonly queue: Pick<ModelQueue, 'waiting' | 'running'>;
	/** With several processes: this process's shards, and whether its limits are shared right now. */
	readonly scaled?: {
		readonly shards: { readonly ids: readonly number[]; readonly count: number };
		readonly limits: () => 'local' | 'shared' | 'degraded';
	};
	readonly logger: Logger;
};

/** Serves `/healthz` once listening, or nothing when HEALTH_PORT is unset; rejects when it cannot listen. */
export async function startHealthChecks(deps: HealthCheckDeps): Promise<HealthServer | undefined> {
	if (deps.port === undefined) return undefined;
	const { client, database, queue } = deps;
	// The database probe takes a write lock (or a pooled connection): whoever reaches the port may ask as often as
	// they like, but the bot probes for them at most once a second.
	const check = createCachedCheck(async () =>
		healthReport({
			gatewayConnected: isGatewayConnected(client),
			databaseError: await database.probe(),
			queue: { waiting: queue.waiting, running: queue.running },
			shards: deps.scaled?.shards,
			limits: deps.scaled?.limits(),
		}),
	);
	const server = createHealthServer({ port: deps.port, host: deps.host, logger: deps.logger, check });
	await server.listening;
	return server;
}
