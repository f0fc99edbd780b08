import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Environment } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/config.js';
import type { ModelCatalog, ModelCheck } from '../../src/llm/check-models.js';
import {
	checkModels,
	configuredModels,
	describeModelCheck,
	MODEL_CHECK_TIMEOUT_MS,
	ModelCheckError,
} from '../../src/llm/check-models.js';
import { createGeminiClient } from '../../src/llm/create-gemini-client.js';
import { createGeminiModelCatalog } from '../../src/llm/gemini-model-catalog.js';
import { startFakeGemini } from '../fakes/fake-gemini/index.js';
import type { FakeGemini } from '../fakes/fake-gemini/index.js';

/** The models the fake knows by default that answer generateContent (its embedding model does not). */
const AVAILABLE = [
	'gemini-2.0-flash',
	'gemini-2.5-flash',
	'gemini-2.5-flash-image',
	'gemini-2.5-flash-lite',
	'gemini-2.5-pro',
];

let fake: FakeGemini;

beforeAll(async () => {
	fake = await startFakeGemini();
});

afterEach(() => {
	fake.reset();
	vi.useRealTimers();
});

afterAll(async () => {
	await fake.close();
});

function catalog(options: { apiKey?: string; baseUrl?: string; pageSize?: number } = {}): ModelCatalog {
	const client = createGeminiClient({ apiKey: options.apiKey ?? fake.apiKey, baseUrl: options.baseUrl ?? fake.url });
	return createGeminiModelCatalog({
		client,
		...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
	});
}

/** The models a bot started with these settings would check. */
function modelsOf(env: Environment = {}) {
	return configuredModels(parseConfig({ DISCORD_TOKEN: 'token', GEMINI_API_KEY: 'key', ...env }));
}

async function closedPortUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return `http://127.0.0.1:${port}`;
}

describe('configuredModels', () => {
	it('names each model once, under the first setting that uses it', () => {
		expect(
			modelsOf({
				GEMINI_MODEL: 'gemini-2.5-pro',
				GEMINI_MODELS: 'gemini-2.5-flash, gemini-2.5-pro',
				GEMINI_FALLBACK_MODELS: 'gemini-2.5-flash, gemini-2.5-flash-lite',
				GEMINI_IMAGE_MODEL: 'gemini-2.5-flash-image',
			}),
		).toEqual([
			{ setting: 'GEMINI_MODEL', name: 'gemini-2.5-pro' },
			{ setting: 'GEMINI_MODELS', name: 'gemini-2.5-flash' },
			{ setting: 'GEMINI_FALLBACK_MODELS', name: 'gemini-2.5-flash-lite' },
			{ setting: 'GEMINI_IMAGE_MODEL', name: 'gemini-2.5-flash-image' },
		]);
	});
});

describe('checkModels against the fake Gemini', () => {
	it('is ok when every configured model exists, with one models.get per name and no listing', async () => {
		const models = modelsOf({
			GEMINI_MODELS: 'gemini-2.5-pro',
			GEMINI_FALLBACK_MODELS: 'models/gemini-2.5-flash-lite',
		});
		expect(await checkModels(catalog(), models)).toEqual({ kind: 'ok' });
		expect(fake.modelsRequests.map((request) => `${request.kind} ${request.model ?? ''}`).sort()).toEqual([
			'get gemini-2.5-flash',
			'get gemini-2.5-flash-image',
			'get gemini-2.5-flash-lite',
			'get gemini-2.5-pro',
		]);
		expect(fake.requests).toEqual([]);
	});

	it('names the setting with a typo and lists the generateContent models from every page', async () => {
		const check = await checkModels(
			catalog({ pageSize: 2 }),
			modelsOf({ GEMINI_MODELS: 'gemini-2.5-pro, gemini-2.5-prp' }),
		);
		expect(check).toEqual({
			kind: 'unknown',
			unknown: [{ setting: 'GEMINI_MODELS', name: 'gemini-2.5-prp' }],
			available: AVAILABLE,
		});
		expect(fake.modelsRequests.filter((request) => request.kind === 'list')).toHaveLength(3);
		expect(describeModelCheck(check)).toBe(
			'GEMINI_MODELS "gemini-2.5-prp" (did you mean gemini-2.5-pro?) is not a model this API key can use. Available: gemini-2.0-flash, gemini-2.5-flash, gemini-2.5-flash-image, gemini-2.5-flash-lite, gemini-2.5-pro (set GEMINI_MODELS to one of them).',
		);
	});

	it('counts a model that cannot generateContent as unknown', async () => {
		const check = await checkModels(catalog(), modelsOf({ GEMINI_MODEL: 'gemini-embedding-001' }));
		expect(check).toMatchObject({
			kind: 'unknown',
			unknown: [{ setting: 'GEMINI_MODEL', name: 'gemini-embedding-001' }],
		});
	});

	it('reports every unknown model at once, and none the listing has after all', async () => {
		const models = [
			{ setting: 'GEMINI_MODEL', name: 'gemini-2.5-flahs' },
			{ setting: 'GEMINI_IMAGE_MODEL', name: 'imagen-like' },
			{ setting: 'GEMINI_FALLBACK_MODELS', name: 'what?' },
		] as const;
		const check = await checkModels(catalog(), models);
		expect(check).toEqual({ kind: 'unknown', unknown: models, available: AVAILABLE });
		expect(describeModelCheck(check)).toBe(
			`GEMINI_MODEL "gemini-2.5-flahs" (did you mean gemini-2.5-flash?), GEMINI_IMAGE_MODEL "imagen-like" and GEMINI_FALLBACK_MODELS "what?" are not models this API key can use. Available: ${AVAILABLE.join(', ')} (use these names in GEMINI_MODEL, GEMINI_IMAGE_MODEL and GEMINI_FALLBACK_MODELS).`,
		);

		// models.get missing (as behind a proxy) but the listing has it: not a typo.
		const real = catalog();
		const proxied: ModelCatalog = { get: () => Promise.resolve(undefined), list: (signal) => real.list(signal) };
		expect(await checkModels(proxied, modelsOf())).toEqual({ kind: 'ok' });
	});

	it('calls a wrong key a bad key', async () => {
		const check = await checkModels(catalog({ apiKey: 'wrong-key' }), modelsOf());
		expect(check).toEqual({
			kind: 'bad-key',
			reason: 'Gemini 400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key.',
		});
		expect(describeModelCheck(check)).toBe(
			'Gemini rejected GEMINI_API_KEY while checking the model names (Gemini 400 INVALID_ARGUMENT: API key not valid. Please pass a valid API key.). Create a key at https://aistudio.google.com/apikey and set GEMINI_API_KEY to it.',
		);
	});

	it('calls a 503, a dropped connection and a refused connection unreachable', async () => {
		fake.setModelsUnavailable('unavailable');
		expect(await checkModels(catalog(), modelsOf())).toEqual({
			kind: 'unreachable',
			reason: 'Gemini 503 UNAVAILABLE: The service is currently unavailable.',
		});
		fake.setModelsUnavailable('drop');
		expect(await checkModels(catalog(), modelsOf())).toMatchObject({
			kind: 'unreachable',
			reason: expect.stringMatching(/^fetch failed: /) as string,
		});
		const refused = await checkModels(catalog({ baseUrl: await closedPortUrl() }), modelsOf());
		expect(refused).toMatchObject({ kind: 'unreachable', reason: expect.stringContaining('ECONNREFUSED') as string });
		expect(describeModelCheck(refused)).toMatch(
			/^Could not reach Gemini to check the model names \(fetch failed: .*ECONNREFUSED.*\); starting anyway\.$/,
		);
	});

	it('gives up on a Gemini that does not answer within the time limit and aborts its requests', async () => {
		fake.setModelsUnavailable('hang');
		const startedAt = Date.now();
		const check = await checkModels(catalog(), modelsOf(), { timeoutMs: 200 });
		expect(Date.now() - startedAt).toBeLessThan(1_000);
		expect(check).toEqual({ kind: 'unreachable', reason: 'no answer within 0.2 s' });
		// The default settings name two models: GEMINI_MODEL and GEMINI_IMAGE_MODEL.
		expect(fake.modelsRequests).toHaveLength(2);
		await vi.waitFor(() => {
			expect(fake.stats.clientAborts).toBe(2);
		});
	});

	it(`stops after ${MODEL_CHECK_TIMEOUT_MS} ms by default, even for a catalog that ignores the signal`, async () => {
		vi.useFakeTimers();
		const never: ModelCatalog = { get: () => new Promise(() => undefined), list: () => new Promise(() => undefined) };
		const check = checkModels(never, modelsOf());
		await vi.advanceTimersByTimeAsync(MODEL_CHECK_TIMEOUT_MS - 1);
		let settled: ModelCheck | undefined;
		void check.then((value) => (settled = value));
		await vi.advanceTimersByTimeAsync(0);
		expect(settled).toBeUndefined();
		await vi.advanceTimersByTimeAsync(1);
		expect(await check).toEqual({ kind: 'unreachable', reason: 'no answer within 5 s' });
	});
});

describe('describeModelCheck', () => {
	it('says nothing when all is well, and ModelCheckError carries the one line', () => {
		expect(describeModelCheck({ kind: 'ok' })).toBeUndefined();
		const unknown = {
			kind: 'unknown',
			unknown: [{ setting: 'GEMINI_MODEL', name: 'gemini-2.5-flahs' }],
			available: ['gemini-2.0-flash', 'gemini-2.5-flash'],
		} as const;
		const error = new ModelCheckError(unknown);
		expect(error.message).toBe(
			'GEMINI_MODEL "gemini-2.5-flahs" (did you mean gemini-2.5-flash?) is not a model this API key can use. Available: gemini-2.0-flash, gemini-2.5-flash (set GEMINI_MODEL to one of them).',
		);
		expect(error.message).toBe(describeModelCheck(unknown));
		expect(error.unknown).toEqual(unknown.unknown);
	});

	it('suggests nothing far from every available name, and says so when none is available', () => {
		const far = { setting: 'GEMINI_IMAGE_MODEL', name: 'dall-e-3' } as const;
		expect(describeModelCheck({ kind: 'unknown', unknown: [far], available: ['gemini-2.5-flash'] })).toBe(
			'GEMINI_IMAGE_MODEL "dall-e-3" is not a model this API key can use. Available: gemini-2.5-flash (set GEMINI_IMAGE_MODEL to one of them).',
		);
		expect(describeModelCheck({ kind: 'unknown', unknown: [far], available: [] })).toBe(
			'GEMINI_IMAGE_MODEL "dall-e-3" is not a model this API key can use, and Gemini lists none that it can. Check the key\'s project at https://aistudio.google.com.',
		);
	});
});
