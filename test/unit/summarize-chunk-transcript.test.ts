import { describe, expect, it } from 'vitest';
import { chunkTranscript } from '../../src/summarize/chunk-transcript.js';

const entries = Array.from(
	{ length: 30 },
	(_, n) => `[2025-01-03 10:${String(n).padStart(2, '0')}] Alice: message ${n}`,
);

describe('chunkTranscript', () => {
	it('keeps everything in one chunk when it fits the budget', () => {
		expect(chunkTranscript(entries, 10_000)).toEqual([entries.join('\n')]);
		expect(chunkTranscript([], 100)).toEqual([]);
	});

	it('cuts between messages only, keeping their order, each chunk within about 4 characters per token', () => {
		const chunks = chunkTranscript(entries, 50);
		expect(chunks.length).toBeGreaterThan(3);
		for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(200);
		expect(chunks.flatMap((chunk) => chunk.split('\n'))).toEqual(entries);
		// Greedy: a chunk ends only where the next message would not have fitted.
		for (const [index, chunk] of chunks.slice(0, -1).entries()) {
			const next = chunks[index + 1]!.split('\n')[0]!;
			expect(`${chunk}\n${next}`.length).toBeGreaterThan(200);
		}
	});

	it('keeps a multi-line message whole', () => {
		const long = `[2025-01-03 11:00] Bob: ${'line of code\n'.repeat(10)}end`;
		const chunks = chunkTranscript([entries[0]!, long, entries[1]!], 40);
		expect(chunks).toEqual([entries[0], long, entries[1]]);
	});

	it('cuts a single message larger than the budget at spaces, in order, and goes on with the next', () => {
		const huge = `[2025-01-03 12:00] Carol: ${Array.from({ length: 100 }, (_, n) => `word${n}`).join(' ')}`;
		const chunks = chunkTranscript([entries[0]!, huge, entries[1]!], 25);
		expect(chunks[0]).toBe(entries[0]);
		for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100);
		// The last piece may share its chunk with the next message.
		const rest = chunks.slice(1).join('\n');
		expect(rest.endsWith(`\n${entries[1]!}`)).toBe(true);
		const pieces = rest.slice(0, -(entries[1]!.length + 1)).split('\n');
		expect(pieces.length).toBeGreaterThan(3);
		expect(pieces.join(' ')).toBe(huge);
	});

	it('cuts a message without spaces at the budget, never inside an emoji', () => {
		const chunks = chunkTranscript([`${'x'.repeat(399)}😀${'y'.repeat(50)}`], 100);
		expect(chunks).toEqual(['x'.repeat(399), `😀${'y'.repeat(50)}`]);
	});
});
