import { createLogger } from '../../src/log/logger.js';

export const silentLogger = createLogger('silent');
