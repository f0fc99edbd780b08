import { invalidArgument } from './google-error.js';
import type { GoogleError } from './google-error.js';
import { modelResource, publisherModelResource } from './model-catalog.js';
import type { FakeGeminiModel } from './types.js';

// Google's documented paging for models.list: 50 per page unless asked, at most 1,000 even if asked for more.
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1_000;
const TOKEN_PREFIX = 'fake-page:';

export type ListModelsPage = { ok: true; body: Record<string, unknown> } | { ok: false; error: GoogleError };

/**
 * One page of `GET /{version}/models` (or on Vertex AI of `GET /{version}/publishers/google/models`, as
 * `publisherModels`), with an opaque `nextPageToken` unless it is the last page.
 */
export function listModelsPage(
	models: readonly FakeGeminiModel[],
	query: URLSearchParams,
	vertex = false,
): ListModelsPage {
	const pageSize = pageSizeOf(query.get('pageSize'));
	if (pageSize === undefined) return { ok: false, error: invalidArgument("Invalid value at 'page_size' (TYPE_INT32)") };
	const offset = offsetOf(query.get('pageToken'));
	if (offset === undefined) return { ok: false, error: invalidArgument('Invalid page token.') };
	const end = offset + pageSize;
	const page = models.slice(offset, end);
	const body: Record<string, unknown> = vertex
		? { publisherModels: page.map(publisherModelResource) }
		: { models: page.map(modelResource) };
	if (end < models.length) body.nextPageToken = Buffer.from(`${TOKEN_PREFIX}${end}`).toString('base64url');
	return { ok: true, body };
}

function pageSizeOf(raw: string | null): number | undefined {
	if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
	const size = Number(raw);
	if (!Number.isInteger(size) || size < 0) return undefined;
	return size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

function offsetOf(token: string | null): number | undefined {
	if (token === null || token === '') return 0;
	const decoded = Buffer.from(token, 'base64url').toString('utf8');
	if (!decoded.startsWith(TOKEN_PREFIX)) return undefined;
	const offset = Number(decoded.slice(TOKEN_PREFIX.length));
	return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}
