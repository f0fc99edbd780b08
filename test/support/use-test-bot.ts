import { afterEach } from 'vitest';
import { startTestBot } from './start-test-bot.js';
import type { TestBot } from './start-test-bot.js';

/** For an end-to-end test file: a function that starts a fresh test bot, closed after each test. */
export function useTestBot(): (env?: Parameters<typeof startTestBot>[0]) => Promise<TestBot> {
	let current: TestBot | undefined;
	afterEach(async () => {
		const closing = current;
		current = undefined;
		await closing?.close();
	});
	return async (env) => {
		current = await startTestBot(env);
		return current;
	};
}
