import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { startBot } from '../../src/index.js';
import { createLogger } from '../../src/log/logger.js';
import { startFakeMetadata } from '../fakes/fake-metadata/index.js';
import type { FakeMetadata } from '../fakes/fake-metadata/index.js';
import { botContents, mention, waitForReplies } from '../support/conversation.js';
import { sampleFiles } from '../support/sample-files.js';
import { option, runCommand } from '../support/slash.js';
import type { TestBot } from '../support/start-test-bot.js';
import { testEnvironment } from '../support/start-test-bot.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const LOCATIONS = ['us-central1', 'europe-west4'];
let metadata: FakeMetadata;
let saved: Record<string, string | undefined>;
let gcloudConfig: string;

// google-auth-library reads these from the process: the fake metadata server stands in for Google Cloud's, and no
// developer's own gcloud login or key file may be picked up instead.
beforeAll(async () => {
	metadata = await startFakeMetadata();
	gcloudConfig = mkdtempSync(join(tmpdir(), 'gemthread-gcloud-'));
	const names = [
		'GCE_METADATA_HOST',
		'METADATA_SERVER_DETECTION',
		'GCE_METADATA_IP',
		'GOOGLE_APPLICATION_CREDENTIALS',
		'CLOUDSDK_CONFIG',
		'GOOGLE_CLOUD_PROJECT',
	];
	saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
	delete process.env['GCE_METADATA_IP'];
	delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
	Object.assign(process.env, metadata.env, { CLOUDSDK_CONFIG: gcloudConfig, GOOGLE_CLOUD_PROJECT: metadata.projectId });
});

afterAll(async () => {
	for (const [name, value] of Object.entries(saved)) {
		// Reflect.deleteProperty: process.env turns an assigned undefined into the string "undefined".
		if (value === undefined) Reflect.deleteProperty(process.env, name);
		else process.env[name] = value;
	}
	rmSync(gcloudConfig, { recursive: true, force: true });
	await metadata.close();
});

const vertexEnvironment = {
	GEMINI_API_KEY: '',
	GOOGLE_GENAI_USE_VERTEXAI: 'true',
	GOOGLE_CLOUD_PROJECT: 'fake-project',
	VERTEX_LOCATIONS: LOCATIONS.join(','),
};

const locationsOf = (t: TestBot) => t.gemini.requests.map((request) => request.vertex?.location);

describe('Gemini on Vertex AI over several locations', () => {
	it('answers through Vertex paths with the metadata server’s token, spreading calls over the locations', async () => {
		metadata.reset();
		const t = await start(vertexEnvironment);
		const { thread } = await mention(t, 'first');
		await waitForReplies(t, thread.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.alice, 'second');
		await waitForReplies(t, thread.id, 2);
		expect(botContents(t, thread.id)).toEqual(['Echo: Alice: first', 'Echo: Alice: second']);
		expect(t.gemini.requests.every((request) => request.vertex?.project === 'fake-project')).toBe(true);
		expect(new Set(locationsOf(t))).toEqual(new Set(LOCATIONS));
		expect(t.gemini.requests[0]?.headers['authorization']).toBe(`Bearer ${metadata.token}`);
		const logged = t.logLines.filter((line) => line.includes('"msg":"reply finished"')).join('');
		expect(logged).toContain('"location":"us-central1"');
		expect(logged).toContain('"location":"europe-west4"');
	});

	it('moves calls from a location answering 429 to the next one at once, and /usage shows calls per location', async () => {
		metadata.reset();
		const t = await start(vertexEnvironment);
		t.gemini.failLocation('us-central1', { kind: 'resource-exhausted' });
		const threads = [];
		for (const question of ['one', 'two', 'three']) {
			const { thread } = await mention(t, question);
			await waitForReplies(t, thread.id, 1);
			threads.push(thread);
		}
		for (const thread of threads) expect(botContents(t, thread.id)).toHaveLength(1);
		// One 429 there; the location then rests while its calls go to the other one, with no retry wait shown.
		expect(locationsOf(t).filter((location) => location === 'us-central1')).toHaveLength(1);
		expect(locationsOf(t).filter((location) => location === 'europe-west4')).toHaveLength(3);
		const everyVersion = threads.flatMap((thread) =>
			t.discord.messagesIn(thread.id).flatMap((message) => message.versions),
		);
		expect(everyVersion.join('\n')).not.toMatch(/trying again/);

		const usage = await runCommand(t, {
			name: 'usage',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.moderator,
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageChannels,
		});
		expect(usage.content).toMatch(/By Vertex AI location:\n- `europe-west4`: [\d,]+ tokens .* in 3 calls/);
	});

	it('moves a call from an overloaded location (503) to the next one at once too', async () => {
		metadata.reset();
		const t = await start(vertexEnvironment);
		// The first call of a fresh bot starts at the first location.
		t.gemini.failLocation('us-central1', { kind: 'http-error', status: 503 });
		const { thread } = await mention(t, 'anyone?');
		await waitForReplies(t, thread.id, 1);
		expect(botContents(t, thread.id)).toEqual(['Echo: Alice: anyone?']);
		expect(locationsOf(t)).toEqual(['us-central1', 'europe-west4']);
		const versions = t.discord.messagesIn(thread.id).flatMap((message) => message.versions);
		expect(versions.join('\n')).not.toMatch(/trying again/);
	});

	it('draws with /imagine on Vertex AI as on the Gemini API', async () => {
		metadata.reset();
		const t = await start(vertexEnvironment);
		const picture = await sampleFiles.png('#123456');
		t.gemini.enqueue({ kind: 'image', images: [{ mimeType: 'image/png', data: picture }], text: 'Here.' });
		const { interaction } = await runCommand(t, {
			name: 'imagine',
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
			options: [option.string('prompt', 'a square')],
		});
		expect(interaction.original?.attachments[0]?.data).toEqual(picture);
		expect(t.gemini.requests[0]?.vertex?.location).toBeDefined();
	});

	it('stops the start in one line when the machine has no credentials Vertex AI can use', async () => {
		metadata.reset();
		const t = await start();
		metadata.failTokens(404);
		const logger = createLogger(
			'silent',
			new Writable({
				write: (_chunk, _encoding, callback) => {
					callback();
				},
			}),
		);
		const environment = { ...testEnvironment({ ...t, databasePath: ':memory:' }), ...vertexEnvironment };
		const failure = startBot(parseConfig(environment), logger);
		await expect(failure).rejects.toThrow(/^Vertex AI needs Application Default Credentials and found none/);
		await expect(failure).rejects.toThrow(/GOOGLE_APPLICATION_CREDENTIALS.*gcloud auth application-default login/);
		metadata.failTokens(undefined);
	});
});
