import type { Client } from 'discord.js';
import type { ModelQueue } from '../llm/model-queue.js';
import type { Logger } from '../logger.js';
import type { SqliteDatabase } from '../store/open-database.js';
import { createCachedCheck } from './cached-check.js';
import type { HealthServer } from './create-health-server.js';
import { createHealthServer } from './create-health-server.js';
import { healthReport } from './health-report.js';
import { isGatewayConnected } from './is-gateway-connected.js';
import { probeDatabase } from './probe-database.js';

export type HealthCheckDeps = {
	/** HEALTH_PORT; undefined leaves the health check off. */
	readonly port: number | undefined;
	/** HEALTH_HOST: the address to listen on. */
	readonly host: string;
	readonly client: Client;
	readonly db: SqliteDatabase;
	readonly queue: Pick<ModelQueue, 'waiting' | 'running'>;
	readonly logger: Logger;
};

/** Serves `/healthz` once listening, or nothing when HEALTH_PORT is unset; rejects when it cannot listen. */
export async function startHealthChecks(deps: HealthCheckDeps): Promise<HealthServer | undefined> {
	if (deps.port === undefined) return undefined;
	const { client, db, queue } = deps;
	// The database probe takes SQLite's write lock: whoever reaches the port may ask as often as they like, but the
	// bot takes the lock for them at most once a second.
	const check = createCachedCheck(() =>
		healthReport({
			gatewayConnected: isGatewayConnected(client),
			databaseError: probeDatabase(db),
			queue: { waiting: queue.waiting, running: queue.running },
		}),
	);
	const server = createHealthServer({ port: deps.port, host: deps.host, logger: deps.logger, check });
	await server.listening;
	return server;
}
