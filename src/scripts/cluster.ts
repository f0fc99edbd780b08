import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RESTGetAPIGatewayBotResult } from 'discord.js';
import { REST, Routes } from 'discord.js';
import { config as loadDotenv } from 'dotenv';
import { planShards, shardIdsText } from '../cluster/plan-shards.js';
import { supervise } from '../cluster/supervise.js';
import type { Config } from '../config/config.js';
import { ConfigError, parseConfig } from '../config/config.js';
import { createProcessLogger } from '../log/logger.js';
import { describeStartupError } from '../startup/describe-startup-error.js';

// `npm run cluster`: CLUSTER_PROCESSES bot processes on this host, each running its share of the shards, started
// again when one dies. discord.js's ShardingManager runs exactly one shard per process; this runs several per process.
loadDotenv({ quiet: true });
const processes = Number(process.env['CLUSTER_PROCESSES'] ?? '2');
let config: Config;
try {
	config = parseConfig({ ...process.env, CLUSTER_PROCESSES: String(processes) });
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	process.stderr.write(`gemthread cannot start the cluster.\n${error.message}\n`);
	process.exit(1);
}
const logger = await createProcessLogger(config);
let shardCount: number;
try {
	shardCount = config.scaling.shardCount === 'auto' ? await recommendedShards() : config.scaling.shardCount;
} catch (error) {
	process.stderr.write(`gemthread cannot start the cluster: ${describeStartupError(error)}\n`);
	process.exit(1);
}
// Started the way this script was (dist/main.js, or src/main.ts under tsx: children inherit the loader).
const entry = fileURLToPath(new URL(`../main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const plan = planShards(Math.max(shardCount, processes), processes);
const workers = plan.map((ids, index) => ({
	name: `process-${index}`,
	env: {
		SHARD_COUNT: String(Math.max(shardCount, processes)),
		SHARD_IDS: shardIdsText(ids),
		CLUSTER_PROCESSES: String(plan.length),
	},
}));
logger.info({ processes: plan.length, shards: Math.max(shardCount, processes) }, 'cluster starting');
const cluster = supervise(entry, workers, logger);
let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
	if (stopping) return;
	stopping = true;
	logger.info({ signal }, 'cluster stopping');
	void cluster.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/** Discord's recommended shard count for the bot token (GET /gateway/bot). */
async function recommendedShards(): Promise<number> {
	const { discordApiBase, discordToken } = config;
	const rest = new REST(discordApiBase === undefined ? {} : { api: discordApiBase });
	const gateway = (await rest.setToken(discordToken).get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
	return gateway.shards;
}
