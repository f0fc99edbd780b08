import { parseConfig } from '../config/config.js';
import type { FakeDiscord } from '../emulator/discord/index.js';
import { startFakeDiscord } from '../emulator/discord/index.js';
import type { DemoModel } from '../emulator/demo-model/start-demo-model.js';
import { startDemoModel } from '../emulator/demo-model/start-demo-model.js';
import type { Bot } from '../index.js';
import { startBot } from '../index.js';
import type { Logger } from '../log/logger.js';
import { createProcessLogger } from '../log/logger.js';
import { hasModelProvider, sandboxEnvironment } from './sandbox-environment.js';
import { sandboxSpeakers } from './sandbox-speakers.js';
import type { SandboxServer } from './start-sandbox-server.js';
import { startSandboxServer } from './start-sandbox-server.js';

/**
 * The emulated server keeps its ids from run to run (its messages live in memory only), so that what the bot stored
 * for #general (a persona, settings, usage) is still #general's after a restart.
 */
const FOUNDED_AT = Date.UTC(2026, 0, 1);

export type SandboxOptions = {
	/** The owner's settings (.env and environment): the model, and any default the bot reads. */
	readonly env: Readonly<Record<string, string | undefined>>;
	/** The sandbox's own database file, never the production one. */
	readonly databasePath: string;
	readonly host: string;
	/** 0 picks a free port. */
	readonly port: number;
	/** The demo model's pace. @default 60 */
	readonly demoChunkDelayMs?: number;
	/** @default the process logger of the bot's settings (LOG_LEVEL=warn unless set) */
	readonly logger?: Logger;
};

export type Sandbox = {
	readonly url: string;
	readonly discord: FakeDiscord;
	readonly model: { readonly name: string; readonly demo: boolean };
	/** The demo model, when it is the one answering. */
	readonly demo: DemoModel | undefined;
	stop(): Promise<void>;
};

/**
 * The sandbox: the Discord emulator with a guild of two channels, the real bot (`startBot`, as `npm start` runs it)
 * logged in to it, the demo model when the owner configured none, and the page. Stops in reverse on failure.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
	const stops: (() => Promise<unknown>)[] = [];
	const stop = async (): Promise<void> => {
		for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
	};
	try {
		const discord = await startFakeDiscord({
			guildName: 'Sandbox',
			channels: ['random'],
			foundedAt: FOUNDED_AT,
			// The page reads only the last seconds of requests (typing); a sandbox may run all day.
			keepRecords: 2_000,
		});
		stops.push(() => discord.close());
		let demo: DemoModel | undefined;
		if (!hasModelProvider(options.env)) {
			demo = await startDemoModel(
				options.demoChunkDelayMs === undefined ? {} : { chunkDelayMs: options.demoChunkDelayMs },
			);
			const started = demo;
			stops.push(() => started.close());
		}
		const env = sandboxEnvironment(options.env, {
			apiBase: discord.apiBase,
			token: discord.token,
			guildId: discord.guild.id,
			cdnOrigin: discord.cdn.origin,
			databasePath: options.databasePath,
			demoBaseUrl: demo?.baseUrl,
		});
		const config = parseConfig(env);
		const logger = options.logger ?? (await createProcessLogger(config));
		// The emulator starts empty every time: it must be told the commands again.
		const bot: Bot = await startBot(config, logger, { registerCommands: 'always' });
		stops.push(() => bot.stop(2_000));
		const model = { name: config.defaultModel, demo: demo !== undefined };
		const server: SandboxServer = await startSandboxServer({
			discord,
			speakers: sandboxSpeakers(discord),
			model,
			host: options.host,
			port: options.port,
		});
		stops.push(() => server.close());
		return { url: server.url, discord, model, demo, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
