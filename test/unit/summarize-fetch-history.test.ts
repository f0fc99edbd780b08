import { describe, expect, it } from 'vitest';
import { fetchHistory } from '../../src/summarize/fetch-history.js';

type Message = { id: string; createdTimestamp: number };

/** A channel of `count` messages one minute apart, served like Discord: newest first, before a cursor. */
function channel(count: number) {
	const start = Date.UTC(2025, 0, 1);
	const messages: Message[] = Array.from({ length: count }, (_, n) => ({
		id: String(1_000_000 + n),
		createdTimestamp: start + n * 60_000,
	}));
	const pages: { limit: number; before: string }[] = [];
	const fetchPage = (options: { limit: number; before: string }) => {
		pages.push(options);
		const older = messages.filter((message) => BigInt(message.id) < BigInt(options.before));
		// Discord's order is newest first; shuffle within the page to prove the order is not trusted blindly.
		const page = older.slice(-options.limit).reverse();
		return Promise.resolve(page.length > 1 ? [page[1]!, page[0]!, ...page.slice(2)] : page);
	};
	return { messages, pages, fetchPage, before: String(2_000_000), start };
}

const ids = (messages: readonly Message[]) => messages.map((message) => Number(message.id) - 1_000_000);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => from + n);

describe('fetchHistory', () => {
	it('pages back 100 at a time from the cursor and returns the newest `limit` messages oldest first', async () => {
		const source = channel(350);
		const history = await fetchHistory(source.fetchPage, { before: source.before, limit: 250, since: undefined });
		expect(ids(history.messages)).toEqual(range(100, 350));
		expect(source.pages).toEqual([
			{ limit: 100, before: source.before },
			{ limit: 100, before: '1000250' },
			{ limit: 50, before: '1000150' },
		]);
		expect(history.reachedLimit).toBe(true);
	});

	it('stops at `since` without reading further pages', async () => {
		const source = channel(350);
		const since = source.start + 180 * 60_000;
		const history = await fetchHistory(source.fetchPage, { before: source.before, limit: 1_000, since });
		expect(ids(history.messages)).toEqual(range(180, 350));
		expect(source.pages).toHaveLength(2);
		expect(history.reachedLimit).toBe(false);
	});

	it('stops at the start of the channel', async () => {
		const source = channel(120);
		const history = await fetchHistory(source.fetchPage, { before: source.before, limit: 1_000, since: undefined });
		expect(ids(history.messages)).toEqual(range(0, 120));
		expect(source.pages.map((page) => page.limit)).toEqual([100, 100]);
		expect(history.reachedLimit).toBe(false);

		const empty = channel(0);
		expect(await fetchHistory(empty.fetchPage, { before: empty.before, limit: 100, since: undefined })).toEqual({
			messages: [],
			reachedLimit: false,
		});
	});

	it('only reads messages before the cursor', async () => {
		const source = channel(50);
		const history = await fetchHistory(source.fetchPage, { before: '1000040', limit: 100, since: undefined });
		expect(ids(history.messages)).toEqual(range(0, 40));
	});
});
