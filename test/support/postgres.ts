import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describePostgresError } from '../../src/store/postgres/open-pool.js';
import { announceSkip } from './announce-skip.js';

/** The PostgreSQL the tests use; each test file (or test bot) works in a schema of its own there. */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL cannot be used for tests, or undefined when it can. */
export const postgresProblem = await reachPostgres();

/** Whether the PostgreSQL tests run: PostgreSQL answers, or CI=true (where it must, so they fail instead). */
export const POSTGRES_TESTS_RUN = postgresProblem === undefined || ['true', '1'].includes(process.env['CI'] ?? '');

if (!POSTGRES_TESTS_RUN && postgresProblem !== undefined) {
	announceSkip(
		'postgres',
		`PostgreSQL tests skipped: ${postgresProblem}. Start PostgreSQL or set TEST_DATABASE_URL to run them (CI=true never skips them).`,
	);
}

/** A new empty schema, the URL whose connections use it, and a way to drop it with everything in it. */
export async function createTestSchema(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
	if (postgresProblem !== undefined) throw new Error(postgresProblem);
	const name = `gt_${randomBytes(6).toString('hex')}`;
	await adminQuery(`CREATE SCHEMA ${name}`);
	return {
		name,
		url: schemaUrl(name),
		drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`),
	};
}

/** TEST_DATABASE_URL with `search_path` set to the schema (the bot takes it as its DATABASE_URL). */
export function schemaUrl(schema: string, base = TEST_DATABASE_URL): string {
	const url = new URL(base);
	url.searchParams.set('options', `-c search_path=${schema}`);
	return url.toString();
}

async function adminQuery(text: string): Promise<void> {
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await client.connect();
	try {
		await client.query(text);
	} finally {
		await client.end();
	}
}

async function reachPostgres(): Promise<string | undefined> {
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3_000 });
	try {
		await client.connect();
		return undefined;
	} catch (error) {
		return describePostgresError(error, TEST_DATABASE_URL).replaceAll('DATABASE_URL', 'TEST_DATABASE_URL');
	} finally {
		await client.end().catch(() => undefined);
	}
}
