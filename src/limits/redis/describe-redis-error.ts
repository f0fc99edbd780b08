import { errorCode } from '../../store/postgres/open-pool.js';

/**
 * One line naming REDIS_URL for why Redis could not be used: not a Redis URL, the connection refused, the login
 * rejected, no such host, no answer, or else the error's first line. Never the password.
 */
export function describeRedisError(error: unknown, url: string): string {
	const target = redisTarget(url);
	if (target === undefined) {
		return 'REDIS_URL is not a Redis URL: expected redis://[[user]:password@]host[:port][/db] (rediss:// for TLS)';
	}
	const where = `Redis at ${target.address} (REDIS_URL)`;
	const code = errorCode(error);
	const message = firstLine(error);
	if (code === 'ECONNREFUSED') return `${where} refused the connection: is the server running and listening there?`;
	if (/^NOAUTH/.test(message)) return `${where} asks for a password: put it in REDIS_URL (redis://:password@host:port)`;
	if (/^WRONGPASS|invalid password|AUTH failed/i.test(message)) {
		return `${where} rejected the login: authentication failed; check the user and password`;
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${where}: no such host; check the host name`;
	if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) {
		return `${where} did not answer in time: is the address right and the port open?`;
	}
	const line = `${where}: ${message}`;
	return target.password === '' ? line : line.split(target.password).join('***');
}

/** Where a Redis URL points, and its password; undefined if it is not a Redis URL. */
export function redisTarget(url: string): { address: string; password: string } | undefined {
	try {
		const parsed = new URL(url);
		if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return undefined;
		const host = parsed.hostname === '' ? '127.0.0.1' : parsed.hostname;
		return { address: `${host}:${parsed.port || '6379'}`, password: decodeURIComponent(parsed.password) };
	} catch {
		return undefined;
	}
}

function firstLine(error: unknown): string {
	const message = error instanceof Error ? error.message || error.name : String(error);
	return message.split('\n', 1)[0] ?? '';
}
