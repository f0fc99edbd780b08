import type { TurnAttachment } from '../store/ports/attachment-store.js';
import type { StoredTurn } from '../domain/turn.js';
import type { ThreadSummary } from '../store/ports/thread-summary-store.js';

/** A turn with the files stored with it. */
export type ExportTurn = StoredTurn & { readonly attachments?: readonly TurnAttachment[] };
/** The thread's rolling summary, exported after the last turn it covers. */
export type ExportSummary = ThreadSummary & { readonly role: 'summary' };
export type ExportEntry = ExportTurn | ExportSummary;

export type ExportFile = { readonly name: string; readonly data: Buffer; readonly turns: number };

/**
 * The turns in order, with the summary (if any) right after the newest turn it stands for, so a reader sees where
 * the bot's memory of the older messages ends.
 */
export function withSummary(turns: readonly ExportTurn[], summary: ThreadSummary | undefined): ExportEntry[] {
	if (!summary) return [...turns];
	const after = turns.findLastIndex((turn) => turn.exchangeId <= summary.throughTurnId);
	return [...turns.slice(0, after + 1), { ...summary, role: 'summary' }, ...turns.slice(after + 1)];
}

/** One JSON object per entry; keys are always present (null when they do not apply), so every line has one shape. */
export function exportLine(entry: ExportEntry): string {
	const line = JSON.stringify(entry.role === 'summary' ? summaryObject(entry) : turnObject(entry));
	// Valid JSON, but some line readers (Python's splitlines, editors) treat these separators as line breaks.
	return line.replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

function turnObject(turn: ExportTurn) {
	return {
		role: turn.role,
		author: turn.authorName,
		authorId: turn.authorId,
		time: new Date(turn.createdAt).toISOString(),
		text: turn.content,
		status: turn.status ?? null,
		model: turn.model ?? null,
		excluded: turn.excludedAt !== undefined,
		files: (turn.attachments ?? []).map((file) => ({
			name: file.filename,
			type: file.mimeType,
			size: file.size,
			sha256: file.sha256,
		})),
		sources: turn.grounding?.sources ?? [],
	};
}

function summaryObject(summary: ExportSummary) {
	return {
		role: 'summary',
		author: null,
		authorId: null,
		time: new Date(summary.createdAt).toISOString(),
		text: summary.summary,
		status: null,
		model: summary.model,
		excluded: false,
		files: [],
		sources: [],
	};
}

/**
 * The turns as JSONL files of at most `maxBytes` each (Discord's upload limit), split between lines so that every
 * part is valid JSONL on its own and the parts joined in order give the whole conversation.
 */
export function exportFiles(
	turns: readonly ExportEntry[],
	options: { readonly baseName: string; readonly maxBytes: number },
): ExportFile[] {
	const groups: { lines: string[]; bytes: number }[] = [];
	for (const turn of turns) {
		const line = `${exportLine(turn)}\n`;
		const bytes = Buffer.byteLength(line);
		const last = groups.at(-1);
		if (last && last.bytes + bytes <= options.maxBytes) {
			last.lines.push(line);
			last.bytes += bytes;
		} else {
			groups.push({ lines: [line], bytes });
		}
	}
	return groups.map((group, index) => ({
		name:
			groups.length === 1
				? `${options.baseName}.jsonl`
				: `${options.baseName}-part-${index + 1}-of-${groups.length}.jsonl`,
		data: Buffer.from(group.lines.join('')),
		turns: group.lines.length,
	}));
}

const MAX_BASE_NAME_LENGTH = 80;

/** A file name from the thread's name, in ASCII because Discord mangles other characters in attachment names. */
export function exportBaseName(threadName: string, threadId: string): string {
	const slug = threadName
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.slice(0, MAX_BASE_NAME_LENGTH)
		.replace(/^-+|-+$/g, '');
	return slug === '' ? `thread-${threadId}` : slug;
}
