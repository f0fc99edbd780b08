import type { Grounding } from '../llm/chat-model.js';

export const MAX_SOURCES = 5;
const TITLE_CHARACTERS = 60;

/**
 * A grounded answer's sources as numbered links under it: duplicates merged (same link or same title), at most
 * MAX_SOURCES, titles shortened, previews suppressed (`<url>`); then the searches Gemini made, as Google asks apps
 * to show them. Undefined when there is nothing to list.
 */
export function sourcesText(grounding: Grounding | undefined): string | undefined {
	if (!grounding) return undefined;
	const seen = new Set<string>();
	const links: string[] = [];
	for (const source of grounding.sources) {
		const url = safeUrl(source.url);
		const title = shorten(source.title.trim() || hostOf(url ?? ''));
		if (url === undefined || seen.has(url) || seen.has(title.toLowerCase())) continue;
		seen.add(url);
		seen.add(title.toLowerCase());
		links.push(`${links.length + 1}. [${title}](<${url}>)`);
		if (links.length === MAX_SOURCES) break;
	}
	const queries = [...new Set(grounding.queries.map((query) => query.trim()).filter((query) => query !== ''))];
	const lines = links.length > 0 ? ['**Sources**', ...links] : [];
	if (queries.length > 0) lines.push(`-# Searched for: ${queries.map((query) => `“${shorten(query)}”`).join(', ')}`);
	return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Only web links; a `>` would end Discord's `<…>` early. */
function safeUrl(url: string): string | undefined {
	try {
		const parsed = new URL(url);
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
		return parsed.href.replaceAll('>', '%3E');
	} catch {
		return undefined;
	}
}

function hostOf(url: string): string {
	try {
		return new URL(url).hostname;
	} catch {
		return 'link';
	}
}

/** One line, no brackets to break the link's markdown, cut with an ellipsis. */
function shorten(text: string): string {
	const flat = text.replace(/\s+/g, ' ').replace(/[[\]]/g, '').trim();
	return flat.length <= TITLE_CHARACTERS ? flat : `${flat.slice(0, TITLE_CHARACTERS - 1).trimEnd()}…`;
}
