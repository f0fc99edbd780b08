import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeMetadata } from '../test/fakes/fake-metadata/index.js';
import type { FakeMetadata } from '../test/fakes/fake-metadata/index.js';

const NAMES = [
	'GCE_METADATA_HOST',
	'METADATA_SERVER_DETECTION',
	'GCE_METADATA_IP',
	'GOOGLE_APPLICATION_CREDENTIALS',
	'CLOUDSDK_CONFIG',
	'GOOGLE_CLOUD_PROJECT',
] as const;

/**
 * Runs `body` with a fake GCE metadata server as this process's Application Default Credentials (google-auth-library
 * reads `process.env`, not the bot's configuration), and no gcloud login or key file of the machine in its way.
 * Restores the variables afterwards.
 */
export async function withFakeMetadata<T>(body: (metadata: FakeMetadata) => Promise<T>): Promise<T> {
	const metadata = await startFakeMetadata();
	const gcloudConfig = mkdtempSync(join(tmpdir(), 'gemthread-bench-gcloud-'));
	const saved = NAMES.map((name) => [name, process.env[name]] as const);
	delete process.env['GCE_METADATA_IP'];
	delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
	Object.assign(process.env, metadata.env, { CLOUDSDK_CONFIG: gcloudConfig, GOOGLE_CLOUD_PROJECT: metadata.projectId });
	try {
		return await body(metadata);
	} finally {
		for (const [name, value] of saved) {
			// process.env turns an assigned undefined into the string "undefined".
			if (value === undefined) Reflect.deleteProperty(process.env, name);
			else process.env[name] = value;
		}
		rmSync(gcloudConfig, { recursive: true, force: true });
		await metadata.close();
	}
}
