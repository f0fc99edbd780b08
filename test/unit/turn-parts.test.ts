import { describe, expect, it } from 'vitest';
import type { ContextMedia } from '../../src/chat/turn-parts.js';
import { decodeText, TEXT_FILE_CHARACTERS, turnParts } from '../../src/chat/turn-parts.js';
import type { TurnAttachment } from '../../src/store/ports/attachment-store.js';
import { storedTurn } from '../support/stored-turn.js';

const file = (filename: string, kind: TurnAttachment['kind'], mimeType: string, sha256: string): TurnAttachment => ({
	filename,
	kind,
	mimeType,
	size: 10,
	sha256,
});

function mediaOf(
	files: TurnAttachment[],
	bytes: Record<string, Buffer>,
	limits: Partial<ContextMedia> = {},
): ContextMedia {
	return {
		mediaTurns: 6,
		maxInlineBytes: 1_000_000,
		attachmentsOf: () => Promise.resolve(files),
		bytesOf: (sha256) => Promise.resolve(bytes[sha256]),
		...limits,
	};
}

describe('decodeText', () => {
	it('replaces invalid UTF-8 and cuts long files with a note', () => {
		expect(decodeText(Buffer.from([0x68, 0x69, 0xff, 0x21]))).toBe('hi\ufffd!');
		const long = decodeText(Buffer.from('x'.repeat(TEXT_FILE_CHARACTERS + 5)));
		expect(long).toBe(`${'x'.repeat(TEXT_FILE_CHARACTERS)}\n[… the rest of the file is left out]`);
	});
});

describe('turnParts', () => {
	const turn = storedTurn({ id: 1, content: 'see', attachmentCount: 2 });
	const png = Buffer.from('png-bytes');
	const files = [file('a.png', 'image', 'image/png', 'p'), file('notes.txt', 'text', 'text/plain', 't')];

	it("puts a member's pictures inline after a label, and text files as text", async () => {
		const built = await turnParts(turn, mediaOf(files, { p: png, t: Buffer.from('hello') }), {
			turnsLeft: 1,
			bytesLeft: 100,
		});
		expect(built?.parts).toEqual([
			{ text: 'Alice: see\n[image: a.png]' },
			{ inlineData: { mimeType: 'image/png', data: png } },
			{ text: '[file: notes.txt]\nhello' },
		]);
	});

	it('uses a placeholder once the media window or the request size is used up, and for pictures the bot made', async () => {
		const media = mediaOf(files, { p: png, t: Buffer.from('hello') });
		const placeholder = [{ text: 'Alice: see\n[image: a.png]\n[file: notes.txt]\nhello' }];
		expect((await turnParts(turn, media, { turnsLeft: 0, bytesLeft: 100 }))?.parts).toEqual(placeholder);
		expect((await turnParts(turn, media, { turnsLeft: 1, bytesLeft: 3 }))?.parts).toEqual(placeholder);
		const drawn = storedTurn({ id: 2, role: 'model', content: 'Here.', attachmentCount: 1, discordMessageId: 'm' });
		expect((await turnParts(drawn, mediaOf([files[0]!], { p: png }), { turnsLeft: 1, bytesLeft: 100 }))?.parts).toEqual(
			[{ text: 'Here.\n[image: a.png]' }],
		);
	});
});
