import { describe, expect, it } from 'vitest';
import { AttachmentRefused, createAttachmentFetcher } from '../../src/attachments/attachment-fetcher.js';

const ORIGIN = 'https://cdn.discordapp.com';

/** A fetch that answers from a table and records what was asked. */
function fakeFetch(answers: Record<string, () => Response>) {
	const asked: string[] = [];
	const fetch = (input: string | URL | Request): Promise<Response> => {
		const url = String(input instanceof Request ? input.url : input);
		asked.push(url);
		const answer = answers[url];
		return Promise.resolve(answer ? answer() : new Response('missing', { status: 404 }));
	};
	return { fetch: fetch, asked };
}

/** A body that arrives in `chunks` pieces of `size` bytes, with no Content-Length. */
function streamed(chunks: number, size: number): Response {
	let sent = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (sent === chunks) controller.close();
			else controller.enqueue(new Uint8Array(size));
			sent += 1;
		},
	});
	return new Response(body);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof AttachmentRefused) return error.message;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('createAttachmentFetcher', () => {
	it('downloads from an allowed origin', async () => {
		const { fetch } = fakeFetch({ [`${ORIGIN}/a.png`]: () => new Response(Buffer.from('bytes')) });
		const fetcher = createAttachmentFetcher({ origins: [ORIGIN], fetch });
		expect((await fetcher.fetch(`${ORIGIN}/a.png`, 100)).toString()).toBe('bytes');
	});

	it('never asks another origin, not even one that only differs by port or scheme', async () => {
		const { fetch, asked } = fakeFetch({});
		const fetcher = createAttachmentFetcher({ origins: [ORIGIN], fetch });
		for (const url of ['http://cdn.discordapp.com/a', 'https://cdn.discordapp.com:8443/a', 'https://evil.example/a']) {
			expect(await refusal(fetcher.fetch(url, 100))).toBe('not from Discord’s file servers');
		}
		expect(asked).toEqual([]);
	});

	it('follows a redirect within the allowed origins and refuses one that leaves them', async () => {
		const { fetch, asked } = fakeFetch({
			[`${ORIGIN}/moved`]: () => new Response(null, { status: 302, headers: { location: '/here' } }),
			[`${ORIGIN}/here`]: () => new Response(Buffer.from('ok')),
			[`${ORIGIN}/away`]: () => new Response(null, { status: 302, headers: { location: 'https://evil.example/x' } }),
		});
		const fetcher = createAttachmentFetcher({ origins: [ORIGIN], fetch });
		expect((await fetcher.fetch(`${ORIGIN}/moved`, 100)).toString()).toBe('ok');
		expect(await refusal(fetcher.fetch(`${ORIGIN}/away`, 100))).toBe('not from Discord’s file servers');
		expect(asked).not.toContain('https://evil.example/x');
	});

	it('refuses a body larger than the limit while it streams, whatever the headers say', async () => {
		const { fetch } = fakeFetch({ [`${ORIGIN}/big`]: () => streamed(10, 1_024) });
		const fetcher = createAttachmentFetcher({ origins: [ORIGIN], fetch });
		expect(await refusal(fetcher.fetch(`${ORIGIN}/big`, 4_096))).toBe('larger than the 4 KB limit');
		expect((await fetcher.fetch(`${ORIGIN}/big`, 20_000)).length).toBe(10_240);
	});

	it('refuses at once when Content-Length says it is too large', async () => {
		const { fetch } = fakeFetch({
			[`${ORIGIN}/big`]: () =>
				new Response(Buffer.alloc(3 * 1_048_576), { headers: { 'content-length': String(3 * 1_048_576) } }),
		});
		const fetcher = createAttachmentFetcher({ origins: [ORIGIN], fetch });
		expect(await refusal(fetcher.fetch(`${ORIGIN}/big`, 1_048_576))).toBe('too large (3.0 MB; the limit is 1.0 MB)');
	});

	it('gives up on a download that takes too long, and names an HTTP failure', async () => {
		const hanging = (_input: string | URL | Request, init?: RequestInit): Promise<Response> =>
			new Promise((_resolve, reject) => {
				init?.signal?.addEventListener('abort', () => {
					reject(new Error('aborted'));
				});
			});
		const slow = createAttachmentFetcher({ origins: [ORIGIN], timeoutMs: 50, fetch: hanging });
		expect(await refusal(slow.fetch(`${ORIGIN}/slow`, 100))).toBe('took too long to download');
		const { fetch } = fakeFetch({});
		const gone = createAttachmentFetcher({ origins: [ORIGIN], fetch });
		expect(await refusal(gone.fetch(`${ORIGIN}/expired`, 100))).toBe('could not be downloaded (HTTP 404)');
	});
});
