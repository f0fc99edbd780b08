/** Why a posted file was left out, in words for the member ("too large: 30 MB, the limit is 10 MB"). */
export class AttachmentRefused extends Error {
	override readonly name = 'AttachmentRefused';
}

/** Downloads a posted file. The only way the bot fetches anything a member posted. */
export type AttachmentFetcher = {
	/** The file's bytes, at most `maxBytes`; throws AttachmentRefused when it may not or cannot be had. */
	fetch(url: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer>;
};

export type AttachmentFetcherOptions = {
	/** Exact origins files may come from (ATTACHMENT_ORIGINS). */
	readonly origins: readonly string[];
	/** @default 30_000 */
	readonly timeoutMs?: number;
	readonly fetch?: typeof fetch;
};

const MAX_REDIRECTS = 3;

/**
 * Fetches only from the configured origins, follows a redirect only to one of them, gives up after a timeout, and
 * counts bytes as they arrive (a Content-Length can lie).
 */
export function createAttachmentFetcher(options: AttachmentFetcherOptions): AttachmentFetcher {
	const allowed = new Set(options.origins);
	const doFetch = options.fetch ?? fetch;
	const trusted = (url: string): URL => {
		const parsed = URL.canParse(url) ? new URL(url) : undefined;
		if (!parsed || !allowed.has(parsed.origin)) throw new AttachmentRefused('not from Discord’s file servers');
		return parsed;
	};
	return {
		async fetch(url, maxBytes, signal) {
			const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
			const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
			let location = trusted(url);
			try {
				for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
					const response = await doFetch(location, { redirect: 'manual', signal: stop });
					const next = response.headers.get('location');
					if (response.status >= 300 && response.status < 400 && next !== null) {
						await response.body?.cancel();
						location = trusted(new URL(next, location).href);
						continue;
					}
					if (!response.ok) throw new AttachmentRefused(`could not be downloaded (HTTP ${response.status})`);
					return await readAtMost(response, maxBytes);
				}
				throw new AttachmentRefused('could not be downloaded (too many redirects)');
			} catch (error) {
				if (error instanceof AttachmentRefused) throw error;
				if (timeout.aborted) throw new AttachmentRefused('took too long to download', { cause: error });
				throw new AttachmentRefused('could not be downloaded', { cause: error });
			}
		},
	};
}

async function readAtMost(response: Response, maxBytes: number): Promise<Buffer> {
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body?.cancel();
		throw tooLarge(declared, maxBytes);
	}
	const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
	if (!reader) return Buffer.alloc(0);
	const chunks: Uint8Array[] = [];
	let received = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		received += value.byteLength;
		if (received > maxBytes) {
			await reader.cancel();
			throw new AttachmentRefused(`larger than the ${megabytes(maxBytes)} limit`);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}

export function tooLarge(bytes: number, maxBytes: number): AttachmentRefused {
	return new AttachmentRefused(`too large (${megabytes(bytes)}; the limit is ${megabytes(maxBytes)})`);
}

export function megabytes(bytes: number): string {
	if (bytes < 1_048_576) return `${Math.round(bytes / 1_024)} KB`;
	return `${(bytes / 1_048_576).toFixed(bytes < 10 * 1_048_576 ? 1 : 0)} MB`;
}
