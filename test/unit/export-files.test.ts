import { describe, expect, it } from 'vitest';
import { exportBaseName, exportFiles, exportLine } from '../../src/commands/export-files.js';
import type { StoredTurn } from '../../src/domain/turn.js';
import { storedTurn } from '../support/stored-turn.js';

const turn = (id: number, content: string, overrides: Partial<StoredTurn> = {}): StoredTurn =>
	storedTurn({ id, content, discordMessageId: `m${id}`, createdAt: Date.UTC(2026, 10, 21, 9, 30, 0, 5), ...overrides });

describe('exportLine', () => {
	it('writes one line with every key, ISO time, and null for what does not apply', () => {
		expect(exportLine(turn(1, 'Hi\nthere'))).toBe(
			'{"role":"user","author":"Alice","authorId":"u1","time":"2026-11-21T09:30:00.005Z","text":"Hi\\nthere","status":null,"model":null,"excluded":false,"files":[],"sources":[]}',
		);
		const answer = turn(2, 'Hello', { role: 'model', status: 'partial', model: 'gemini-2.5-pro', excludedAt: 1 });
		expect(JSON.parse(exportLine(answer))).toMatchObject({
			status: 'partial',
			model: 'gemini-2.5-pro',
			excluded: true,
		});
	});

	it('escapes the Unicode line and paragraph separators so that line readers see one line', () => {
		const line = exportLine(turn(1, 'a\u2028b\u2029c'));
		expect(line).not.toMatch(/[\u2028\u2029]/);
		expect(JSON.parse(line)).toMatchObject({ text: 'a\u2028b\u2029c' });
	});
});

describe('exportLine with files', () => {
	it('lists the files stored with a turn: name, type, size and sha256', () => {
		const file = {
			filename: 'chart.png',
			mimeType: 'image/png',
			kind: 'image' as const,
			size: 42,
			sha256: 'ab'.repeat(32),
		};
		expect(JSON.parse(exportLine({ ...turn(3, 'see'), attachments: [file] }))).toMatchObject({
			files: [{ name: 'chart.png', type: 'image/png', size: 42, sha256: 'ab'.repeat(32) }],
		});
	});
});

describe('exportFiles', () => {
	const turns = [turn(1, 'one'), turn(2, 'two'), turn(3, 'six'), turn(4, 'ten')];
	const lineBytes = (index: number) => Buffer.byteLength(`${exportLine(turns[index]!)}\n`);

	it('makes one file named after the base name when everything fits', () => {
		const files = exportFiles(turns, { baseName: 'chat', maxBytes: 1_000_000 });
		expect(files).toHaveLength(1);
		expect(files[0]).toMatchObject({ name: 'chat.jsonl', turns: 4 });
		expect(files[0]!.data.toString()).toBe(turns.map((entry) => `${exportLine(entry)}\n`).join(''));
	});

	it('splits between lines into numbered parts of at most maxBytes that join back to the whole', () => {
		const maxBytes = lineBytes(0) + lineBytes(1);
		const files = exportFiles(turns, { baseName: 'chat', maxBytes });
		expect(files.map((file) => [file.name, file.turns])).toEqual([
			['chat-part-1-of-2.jsonl', 2],
			['chat-part-2-of-2.jsonl', 2],
		]);
		for (const file of files) expect(file.data.length).toBeLessThanOrEqual(maxBytes);
		expect(Buffer.concat(files.map((file) => file.data)).toString()).toBe(
			exportFiles(turns, { baseName: 'chat', maxBytes: 1_000_000 })[0]!.data.toString(),
		);
	});

	it('counts bytes, not characters', () => {
		const wide = [turn(1, 'é'.repeat(100)), turn(2, 'é'.repeat(100))];
		const oneLine = Buffer.byteLength(`${exportLine(wide[0]!)}\n`);
		expect(exportFiles(wide, { baseName: 'x', maxBytes: oneLine + 150 })).toHaveLength(2);
	});

	it('makes no file for no turns', () => {
		expect(exportFiles([], { baseName: 'chat', maxBytes: 100 })).toEqual([]);
	});
});

describe('exportBaseName', () => {
	it('turns the thread name into a short lowercase ASCII file name', () => {
		expect(exportBaseName('Café: how do **threads** work?', '42')).toBe('cafe-how-do-threads-work');
		expect(exportBaseName('word '.repeat(40), '42').length).toBeLessThanOrEqual(80);
		expect(exportBaseName('word '.repeat(40), '42')).not.toMatch(/-$/);
	});

	it('falls back to the thread id when nothing usable is left', () => {
		expect(exportBaseName('日本語のスレッド', '42')).toBe('thread-42');
	});
});
