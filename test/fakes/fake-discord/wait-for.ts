import type { FakeState } from './state.js';

const DEFAULT_WAIT_TIMEOUT_MS = 5_000;
/** Conditions on client-side state change after the fake's last event, so also poll. */
const POLL_INTERVAL_MS = 20;

/** Re-evaluates `check` after every REST request and gateway payload (and every 20 ms) until it is truthy. */
export function waitForChange<T>(
	state: FakeState,
	check: () => T | undefined | null | false,
	options: { timeoutMs?: number; description?: string } = {},
): Promise<T> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
	const description = options.description ?? 'condition';
	return new Promise<T>((resolve, reject) => {
		const cleanup = (): void => {
			clearTimeout(timer);
			clearInterval(poll);
			state.changes.off('change', evaluate);
		};
		const evaluate = (): void => {
			try {
				const value = check();
				if (!value) return;
				cleanup();
				resolve(value);
			} catch (error) {
				cleanup();
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		};
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`fake-discord waitFor timed out after ${timeoutMs} ms: ${description}`));
		}, timeoutMs);
		const poll = setInterval(evaluate, POLL_INTERVAL_MS);
		poll.unref();
		state.changes.on('change', evaluate);
		evaluate();
	});
}
