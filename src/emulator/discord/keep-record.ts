import type { FakeState } from './state.js';

/** Appends to a record list, dropping the oldest half at a time beyond twice `state.keepRecords`. */
export function keepRecord<T>(state: FakeState, list: T[], entry: T): void {
	list.push(entry);
	if (state.keepRecords !== undefined && list.length > 2 * state.keepRecords) {
		list.splice(0, list.length - state.keepRecords);
	}
}
