import type { FakeState } from './state.js';

const DEFAULT_WAIT_TIMEOUT_MS = 5_000;
/** Conditions on client-side state change after the fake's last event, so also poll. */
const POLL_INTERVAL_MS = 20;

type Falsy = undefined | null | false;

/**
 * Re-evaluates `check` after every REST request and gateway payload (and every 20 ms) until it is truthy. `check` may
 * be asynchronous (it reads the bot's store, say): one evaluation runs at a time, and a change during one runs it
 * once more afterwards.
 */
export function waitForChange<T>(
	state: FakeState,
	check: () => T | Falsy | Promise<T | Falsy>,
	options: { timeoutMs?: number; description?: string } = {},
): Promise<T> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
	const description = options.description ?? 'condition';
	return new Promise<T>((resolve, reject) => {
		let settled = false;
		let running = false;
		let again = false;
		const cleanup = (): void => {
			settled = true;
			clearTimeout(timer);
			clearInterval(poll);
			state.changes.off('change', evaluate);
		};
		const fail = (error: unknown): void => {
			cleanup();
			reject(error instanceof Error ? error : new Error(String(error)));
		};
		const accept = (value: T | Falsy): void => {
			running = false;
			if (settled) return;
			if (value) {
				cleanup();
				resolve(value);
			} else if (again) {
				again = false;
				evaluate();
			}
		};
		function evaluate(): void {
			if (settled) return;
			if (running) {
				again = true;
				return;
			}
			running = true;
			try {
				const value = check();
				if (value instanceof Promise) value.then(accept, fail);
				else accept(value);
			} catch (error) {
				fail(error);
			}
		}
		const timer = setTimeout(() => {
			fail(new Error(`fake-discord waitFor timed out after ${timeoutMs} ms: ${description}`));
		}, timeoutMs);
		const poll = setInterval(evaluate, POLL_INTERVAL_MS);
		poll.unref();
		state.changes.on('change', evaluate);
		evaluate();
	});
}
