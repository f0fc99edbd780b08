import type { GroundingMetadata } from '@google/genai';
import type { Grounding } from './chat-model.js';

/** The web sources and search queries of a candidate's groundingMetadata, merged into what earlier chunks had. */
export function readGrounding(
	metadata: GroundingMetadata | undefined,
	before: Grounding | undefined,
): Grounding | undefined {
	if (!metadata) return before;
	const sources = (metadata.groundingChunks ?? []).flatMap((chunk) =>
		chunk.web?.uri ? [{ title: chunk.web.title ?? chunk.web.domain ?? chunk.web.uri, url: chunk.web.uri }] : [],
	);
	const queries = metadata.webSearchQueries ?? [];
	if (sources.length === 0 && queries.length === 0) return before;
	return {
		sources: [...(before?.sources ?? []), ...sources],
		queries: [...(before?.queries ?? []), ...queries],
	};
}
