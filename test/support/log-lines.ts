import type { Logger } from '../../src/log/logger.js';
import { createLogger } from '../../src/log/logger.js';

/** A logger whose lines a test reads back, parsed. */
export function logLines(): { logger: Logger; lines: Record<string, unknown>[] } {
	const lines: Record<string, unknown>[] = [];
	const logger = createLogger('info', {
		write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
	});
	return { logger, lines };
}
