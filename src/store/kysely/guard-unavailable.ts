import type { Stores } from '../ports/stores.js';
import { StoreUnavailableError } from '../ports/store-unavailable.js';

type StoreObject = Record<string, unknown>;

export type UnavailableGuard = {
	/** Whether the backend's error says the database cannot be reached or written now. */
	readonly isUnavailable: (error: unknown) => boolean;
	/** One line for the logs (no secret). */
	readonly describe: (error: unknown) => string;
	/** Told of every such error (the bot watches for the database to come back). */
	readonly onUnavailable?: (() => void) | undefined;
};

/**
 * Every store method (and every page of an async iterable one returns) turns the backend's "cannot reach the
 * database" errors into StoreUnavailableError, so callers tell an outage from a bug without knowing the driver.
 */
export function guardUnavailable<T extends Omit<Stores, 'database'>>(stores: T, backend: UnavailableGuard): T {
	const translate = (error: unknown): unknown => {
		if (!backend.isUnavailable(error)) return error;
		backend.onUnavailable?.();
		return new StoreUnavailableError(backend.describe(error), { cause: error });
	};
	const guardIterable = (iterable: AsyncIterable<unknown>): AsyncIterable<unknown> => ({
		async *[Symbol.asyncIterator]() {
			try {
				yield* iterable;
			} catch (error) {
				throw translate(error);
			}
		},
	});
	const guardMethod =
		(method: (...args: unknown[]) => unknown, owner: StoreObject) =>
		(...args: unknown[]): unknown => {
			const result = method.apply(owner, args);
			if (result instanceof Promise) {
				return result.catch((error: unknown) => {
					throw translate(error);
				});
			}
			if (isAsyncIterable(result)) return guardIterable(result);
			return result;
		};
	const guardStore = (store: StoreObject): StoreObject =>
		Object.fromEntries(
			Object.entries(store).map(([name, value]) => [
				name,
				typeof value === 'function' ? guardMethod(value as (...args: unknown[]) => unknown, store) : value,
			]),
		);
	return Object.fromEntries(
		Object.entries(stores).map(([name, store]) => [name, guardStore(store as StoreObject)]),
	) as T;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
