import type { Client } from 'discord.js';
import type { ModelQueue } from '../llm/model-queue.js';
import type { Logger } from '../logger.js';
import type { SqliteDatabase } from '../store/open-database.js';
import type { HealthServer } from './create-health-server.js';
import { createHealthServer } from './create-health-server.js';
import { healthReport } from './health-report.js';
import { isGatewayConnected } from './is-gateway-connected.js';
import { probeDatabase } from './probe-database.js';

export type HealthCheckDeps = {
	/** HEALTH_PORT; undefined leaves the health check off. */
	readonly port: number | undefined;
	readonly client: Client;
	readonly db: SqliteDatabase;
	readonly queue: Pick<ModelQueue, 'waiting' | 'running'>;
	readonly logger: Logger;
};

/** Serves `/healthz` once listening, or nothing when HEALTH_PORT is unset; rejects when the port cannot be opened. */
export async function startHealthChecks(deps: HealthCheckDeps): Promise<HealthServer | undefined> {
	if (deps.port === undefined) return undefined;
	const { client, db, queue } = deps;
	const server = createHealthServer({
		port: deps.port,
		logger: deps.logger,
		check: () =>
			healthReport({
				gatewayConnected: isGatewayConnected(client),
				databaseError: probeDatabase(db),
				queue: { waiting: queue.waiting, running: queue.running },
			}),
	});
	await server.listening;
	return server;
}
