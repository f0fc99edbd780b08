import { describe, expect, it } from 'vitest';
import { healthReport } from '../../src/health/health-report.js';

const idle = { waiting: 0, running: 0 };

describe('healthReport', () => {
	it('is ok when the gateway is connected and the database takes writes', () => {
		expect(
			healthReport({ gatewayConnected: true, databaseError: undefined, queue: { waiting: 3, running: 4 } }),
		).toEqual({ status: 'ok', gateway: 'connected', database: 'writable', queue: { waiting: 3, running: 4 } });
	});

	it('is unhealthy when the gateway is disconnected', () => {
		expect(healthReport({ gatewayConnected: false, databaseError: undefined, queue: idle })).toEqual({
			status: 'unhealthy',
			gateway: 'disconnected',
			database: 'writable',
			queue: idle,
		});
	});

	it('is unhealthy when the database cannot be written, and says why', () => {
		expect(healthReport({ gatewayConnected: true, databaseError: 'database is locked', queue: idle })).toEqual({
			status: 'unhealthy',
			gateway: 'connected',
			database: 'database is locked',
			queue: idle,
		});
	});

	it('keeps the database error to one short line', () => {
		const long = `${'x'.repeat(300)}\nsecond line`;
		const { database } = healthReport({ gatewayConnected: true, databaseError: long, queue: idle });
		expect(database).toHaveLength(120);
		expect(database).toMatch(/^x+…$/);
		expect(healthReport({ gatewayConnected: true, databaseError: '', queue: idle })).toMatchObject({
			status: 'unhealthy',
			database: 'not writable',
		});
	});

	it('does not count a long queue as a failure', () => {
		const busy = { waiting: 500, running: 4 };
		expect(healthReport({ gatewayConnected: true, databaseError: undefined, queue: busy }).status).toBe('ok');
	});
});
