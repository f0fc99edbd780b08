import type { GeminiCodeExecution, GeminiGrounding, GeminiGroundingSupport, GeminiUrlContext } from './tool-types.js';

type JsonObject = Record<string, unknown>;

const SEARCH_URL = 'https://www.google.com/search';

/** Text chunks as `text` parts, with each code execution's two parts spliced in after its `afterChunk`. */
export function contentPartsOf(chunks: readonly string[], code: readonly GeminiCodeExecution[] = []): JsonObject[] {
	for (const run of code) {
		if (!Number.isInteger(run.afterChunk) || run.afterChunk < -1 || run.afterChunk >= chunks.length) {
			throw new RangeError(`code afterChunk must be an integer from -1 to ${chunks.length - 1}, got ${run.afterChunk}`);
		}
	}
	const codeAfter = (index: number) => code.filter((run) => run.afterChunk === index).flatMap(codePartsOf);
	return [...codeAfter(-1), ...chunks.flatMap((text, index) => [{ text }, ...codeAfter(index)])];
}

/** The unary form of streamed parts: runs of text parts joined into one, empty runs dropped. */
export function joinTextParts(parts: readonly JsonObject[]): JsonObject[] {
	const joined: JsonObject[] = [];
	let text: string | undefined;
	const flush = () => {
		if (text !== undefined && text !== '') joined.push({ text });
		text = undefined;
	};
	for (const part of parts) {
		if (typeof part.text === 'string') {
			text = (text ?? '') + part.text;
			continue;
		}
		flush();
		joined.push(part);
	}
	flush();
	return joined;
}

/** `groundingMetadata` and `urlContextMetadata` for the last chunk's candidate; `{}` when neither is scripted. */
export function toolMetadataOf(
	grounding: GeminiGrounding | undefined,
	urlContext: readonly GeminiUrlContext[] | undefined,
): JsonObject {
	const metadata: JsonObject = {};
	if (grounding !== undefined) metadata.groundingMetadata = groundingMetadataOf(grounding);
	if (urlContext !== undefined) {
		metadata.urlContextMetadata = {
			urlMetadata: urlContext.map(({ url, status }) => ({ retrievedUrl: url, urlRetrievalStatus: status })),
		};
	}
	return metadata;
}

// proto3 JSON leaves out empty lists and zero numbers, so the real API does too (e.g. a segment starting at 0).
function groundingMetadataOf(grounding: GeminiGrounding): JsonObject {
	const queries = grounding.webSearchQueries ?? [];
	const json: JsonObject = {};
	if (queries.length > 0) json.webSearchQueries = queries;
	json.searchEntryPoint = { renderedContent: renderedContentOf(queries) };
	if (grounding.chunks.length > 0)
		json.groundingChunks = grounding.chunks.map(({ uri, title }) => ({ web: { uri, title } }));
	const supports = grounding.supports ?? [];
	if (supports.length > 0) json.groundingSupports = supports.map(supportOf);
	return json;
}

function supportOf({ startIndex, endIndex, text, chunkIndices }: GeminiGroundingSupport): JsonObject {
	const segment = startIndex === 0 ? { endIndex, text } : { startIndex, endIndex, text };
	return { segment, groundingChunkIndices: chunkIndices };
}

/** A cut-down "Search Suggestions" chip carousel, like the HTML Google asks apps to show with grounded answers. */
function renderedContentOf(queries: readonly string[]): string {
	const chips = queries.map(
		(query) =>
			`<a class="chip" href="${SEARCH_URL}?q=${encodeURIComponent(query)}&amp;client=app-vertex-grounding">${escapeHtml(query)}</a>`,
	);
	return `<style>.container { display: flex; }</style><div class="container"><div class="carousel">${chips.join('')}</div></div>`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

function codePartsOf(run: GeminiCodeExecution): JsonObject[] {
	return [
		{ executableCode: { language: run.language, code: run.code } },
		{ codeExecutionResult: { outcome: run.outcome, output: run.output } },
	];
}
