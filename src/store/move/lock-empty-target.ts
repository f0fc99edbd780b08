import type pg from 'pg';
import { quoted, TABLE_ORDER } from './move-tables.js';
import { MoveError } from './move-error.js';

// A bot already running on the target holds its tables only briefly: waiting longer means something else is there.
const LOCK_TIMEOUT = '10s';
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Inside the caller's open transaction: locks every table against writes until it ends (reads still go on), then
 * refuses the target unless every table is empty, naming the first that has rows.
 */
export async function lockEmptyTarget(client: pg.ClientBase, address: string): Promise<void> {
	await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
	try {
		await client.query(`LOCK TABLE ${TABLE_ORDER.map(quoted).join(', ')} IN EXCLUSIVE MODE`);
	} catch (error) {
		if (typeof error === 'object' && error !== null && 'code' in error && error.code === LOCK_NOT_AVAILABLE) {
			throw new MoveError(
				`The gemthread tables at ${address} stay locked by another connection (a bot running on it?): stop it and try again`,
				{ cause: error },
			);
		}
		throw error;
	}
	for (const table of TABLE_ORDER) {
		const { rows } = await client.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoted(table)}) AS found`);
		if (rows[0]?.found === true) {
			throw new MoveError(
				`PostgreSQL at ${address} already holds gemthread data (table ${table} has rows): move-data only fills an ` +
					'empty database, so nothing was copied. Point --to at a new database, or empty this one first',
			);
		}
	}
}
