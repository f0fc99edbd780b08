import { DEMO_MODEL } from '../emulator/demo-model/demo-answer.js';

/** Settings that belong to a real deployment and never reach the sandbox's bot. */
const DEPLOYMENT_ONLY = [
	'DATABASE_URL',
	'DATABASE_POOL_SIZE',
	'REDIS_URL',
	'REDIS_KEY_PREFIX',
	'SHARD_COUNT',
	'SHARD_IDS',
	'CLUSTER_PROCESSES',
	'HEALTH_PORT',
	'HEALTH_HOST',
	'ATTACHMENT_ORIGINS',
	'DISCORD_GUILD_ID',
];

/** Model choices that would name models the demo endpoint does not serve. */
const MODEL_CHOICES = ['MODEL', 'GEMINI_MODEL', 'MODELS', 'GEMINI_MODELS', 'FALLBACK_MODELS', 'GEMINI_FALLBACK_MODELS'];

const set = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** Whether `env` (the owner's .env and environment) configures any model provider the bot can use. */
export function hasModelProvider(env: Readonly<Record<string, string | undefined>>): boolean {
	return (
		set(env.GEMINI_API_KEY) ||
		env.GOOGLE_GENAI_USE_VERTEXAI?.trim().toLowerCase() === 'true' ||
		set(env.OPENAI_API_KEY) ||
		set(env.OPENAI_BASE_URL) ||
		set(env.OPENAI_COMPATIBLE)
	);
}

export type SandboxWorld = {
	/** The emulator's REST base, `http://127.0.0.1:PORT/api`. */
	readonly apiBase: string;
	readonly token: string;
	readonly guildId: string;
	/** Where the bot may download members' files from: the emulator's CDN. */
	readonly cdnOrigin: string;
	readonly databasePath: string;
	/** The demo model's chat-completions URL, when the owner configured no model. */
	readonly demoBaseUrl: string | undefined;
};

/**
 * The bot's environment in the sandbox: the owner's settings (their model, personas' defaults, limits), pointed at the
 * emulator instead of Discord, on a database file of its own, without anything of a deployment (PostgreSQL, Redis,
 * shards, health port); with no model configured, the demo model as the only one.
 */
export function sandboxEnvironment(
	env: Readonly<Record<string, string | undefined>>,
	world: SandboxWorld,
): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
	for (const name of DEPLOYMENT_ONLY) Reflect.deleteProperty(result, name);
	Object.assign(result, {
		DISCORD_TOKEN: world.token,
		DISCORD_API_BASE: world.apiBase,
		DISCORD_GUILD_ID: world.guildId,
		DATABASE_PATH: world.databasePath,
		ATTACHMENT_ORIGINS: world.cdnOrigin,
		LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
	});
	if (world.demoBaseUrl !== undefined) {
		for (const name of MODEL_CHOICES) Reflect.deleteProperty(result, name);
		Object.assign(result, { OPENAI_COMPATIBLE: 'demo', DEMO_BASE_URL: world.demoBaseUrl, MODEL: DEMO_MODEL });
	}
	return result;
}
