import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { attachmentOption, startFakeCdn } from '../../src/emulator/discord/index.js';
import { botContents, mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { pictureBombs } from '../support/picture-bombs.js';
import { sampleFiles } from '../support/sample-files.js';
import { option, runCommand } from '../support/slash.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const LEFT_OUT = /^-# Left out: /m;

describe('files members post', () => {
	it('sends a PNG to Gemini as inline data with the exact bytes, next to the text', async () => {
		const t = await start();
		const png = await sampleFiles.png();
		const message = await t.discord.userSays(
			t.discord.textChannel.id,
			t.discord.users.alice,
			`<@${t.discord.bot.id}> what is in this?`,
			{
				attachments: [{ filename: 'chart.png', contentType: 'image/png', data: png }],
			},
		);
		await waitForReplies(t, message.id, 1);

		const request = t.gemini.requests[0]!;
		expect(request.inlineData).toEqual([{ contentIndex: 0, mimeType: 'image/png', data: png }]);
		expect(request.contents[0]!.parts).toEqual([
			{ text: 'Alice: what is in this?\n[image: chart.png]' },
			{ inlineData: { mimeType: 'image/png', bytes: png.length } },
		]);
		expect((await turnsOf(t, message.id))[0]).toMatchObject({ content: 'what is in this?', attachmentCount: 1 });
	});

	it('sends a PDF and a voice message inline, and answers a message of files only', async () => {
		const t = await start();
		const { thread } = await mention(t, 'hello');
		await waitForReplies(t, thread.id, 1);
		const pdf = sampleFiles.pdf();
		const ogg = sampleFiles.ogg();
		await t.discord.userSays(thread.id, t.discord.users.alice, '', {
			attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', data: pdf }],
		});
		await waitForReplies(t, thread.id, 2);
		await t.discord.userSays(thread.id, t.discord.users.bob, '', {
			voiceMessage: true,
			attachments: [
				{ filename: 'voice-message.ogg', contentType: 'audio/ogg', data: ogg, durationSecs: 2.5, waveform: 'AAAA' },
			],
		});
		await waitForReplies(t, thread.id, 3);

		expect(t.gemini.requests[1]!.inlineData).toEqual([{ contentIndex: 2, mimeType: 'application/pdf', data: pdf }]);
		expect(t.gemini.requests[1]!.contents[2]!.text).toBe('Alice sent only files, without text.\n[PDF: report.pdf]');
		expect(t.gemini.requests[2]!.inlineData.map((file) => [file.mimeType, file.data])).toEqual([
			['application/pdf', pdf],
			['audio/ogg', ogg],
		]);
		expect(botContents(t, thread.id)).toHaveLength(3);
	});

	it('sends a text file as text headed by its name, and a GIF as a PNG of its first frame', async () => {
		const t = await start();
		const gif = await sampleFiles.gif();
		const { message } = await mention(t, 'look at these', t.discord.users.alice, [
			{ filename: 'notes.md', contentType: 'text/markdown', data: Buffer.from('# Plan\n- ship it \u00e9\ud83d\ude80') },
			{ filename: 'funny.gif', contentType: 'image/gif', data: gif },
		]);
		await waitForReplies(t, message.id, 1);

		const request = t.gemini.requests[0]!;
		expect(request.contents[0]!.text).toBe(
			'Alice: look at these\n[file: notes.md]\n# Plan\n- ship it \u00e9\ud83d\ude80\n[image: funny.gif]',
		);
		expect(request.inlineData).toHaveLength(1);
		expect(request.inlineData[0]!.mimeType).toBe('image/png');
		expect(request.inlineData[0]!.data.subarray(1, 4).toString()).toBe('PNG');
	});

	it('trusts the bytes over the reported type', async () => {
		const t = await start();
		const jpeg = await sampleFiles.jpeg();
		const { message } = await mention(t, 'photo', t.discord.users.alice, [
			{ filename: 'photo.png', contentType: 'image/png', data: jpeg },
		]);
		await waitForReplies(t, message.id, 1);
		expect(t.gemini.requests[0]!.inlineData[0]!.mimeType).toBe('image/jpeg');
	});

	it('leaves out a 30 MB file, one from another origin and one of unknown type, says why in one line, and answers the text', async () => {
		const t = await start();
		const elsewhere = await startFakeCdn({ '/evil.png': { data: await sampleFiles.png(), contentType: 'image/png' } });
		try {
			const big = Buffer.alloc(30 * 1_048_576, 1);
			const { message } = await mention(t, 'three files', t.discord.users.alice, [
				{ filename: 'huge.mov', contentType: 'video/quicktime', data: big },
				{ filename: 'evil.png', contentType: 'image/png', data: Buffer.alloc(0), url: elsewhere.url('/evil.png') },
				{ filename: 'setup.zip', contentType: 'application/zip', data: sampleFiles.zip() },
			]);
			await waitForReplies(t, message.id, 1);

			expect(t.gemini.requests[0]!.inlineData).toEqual([]);
			expect(t.gemini.requests[0]!.contents[0]!.text).toBe('Alice: three files');
			const [reply] = botContents(t, message.id);
			const line = reply!.split('\n').at(-1)!;
			expect(line).toMatch(LEFT_OUT);
			expect(line).toContain('huge.mov, too large (30 MB; the limit is 10 MB)');
			expect(line).toContain('evil.png, not from Discord’s file servers');
			expect(line).toContain('setup.zip, not a file type I can read');
			expect(elsewhere.requests).toEqual([]);
			expect(t.discord.cdn.requests.map((request) => request.path)).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});

	it('checks the size again while downloading when Discord reports a small one, and refuses redirects elsewhere', async () => {
		const t = await start({ ATTACHMENT_MAX_BYTES: String(64 * 1_024) });
		const elsewhere = await startFakeCdn({ '/moved.png': { data: await sampleFiles.png(), contentType: 'image/png' } });
		try {
			const { message } = await mention(t, 'two files', t.discord.users.alice, [
				{
					filename: 'liar.pdf',
					contentType: 'application/pdf',
					data: Buffer.alloc(256 * 1_024, 7),
					reportedSize: 1_000,
				},
				{ filename: 'moved.png', contentType: 'image/png', data: await sampleFiles.png() },
			]);
			const moved = t.discord.messagesIn(t.discord.textChannel.id).at(-1)!.attachments[1]!;
			t.discord.cdn.redirect(moved.id, elsewhere.url('/moved.png'));
			await waitForReplies(t, message.id, 1);
			const line = botContents(t, message.id)[0]!.split('\n').at(-1)!;
			expect(line).toContain('liar.pdf, too large (256 KB; the limit is 64 KB)');
			expect(line).toContain('moved.png, not from Discord’s file servers');
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});
});

describe('large pictures and long text files', () => {
	it('leaves out ten 16k × 16k picture bombs, names each, and answers without ever holding their pixels', async () => {
		const t = await start();
		const bombs = Array.from({ length: 10 }, (_, index) => {
			const type = index % 2 === 0 ? 'png' : 'gif';
			const data = pictureBombs[type](16_384, 16_384);
			return { filename: `bomb-${index + 1}.${type}`, contentType: `image/${type}`, data };
		});
		// Warm-up: sharp, file-type and the whole reply path loaded and used once before measuring.
		const warmUp = await mention(t, 'warm up', t.discord.users.alice, [
			{ filename: 'warm.gif', contentType: 'image/gif', data: pictureBombs.gif(2_000, 2_000) },
		]);
		await waitForReplies(t, warmUp.message.id, 1);
		const rss = watchRss();
		const { message } = await mention(t, 'what are these?', t.discord.users.alice, bombs);
		await waitForReplies(t, message.id, 1);
		const { before, peak } = rss.stop();

		expect(t.gemini.requests[1]!.inlineData).toEqual([]);
		expect(fromAlice(t.gemini.requests[1]!.contents[0]!.text)).toBe('Alice: what are these?');
		const line = botContents(t, message.id)[0]!.split('\n').at(-1)!;
		expect(line).toMatch(LEFT_OUT);
		for (const bomb of bombs) {
			expect(line).toContain(`${bomb.filename}, too large a picture (16,384 × 16,384 pixels; at most 50 megapixels)`);
		}
		expect(peak - before).toBeLessThan(150 * 1_048_576);
	});

	it('sends a large photo scaled down to fit 3,072 × 3,072', async () => {
		const t = await start();
		const photo = await sharp({ create: { width: 6_000, height: 4_000, channels: 3, background: '#336699' } })
			.jpeg()
			.toBuffer();
		const { message } = await mention(t, 'my photo', t.discord.users.alice, [
			{ filename: 'photo.jpg', contentType: 'image/jpeg', data: photo },
		]);
		await waitForReplies(t, message.id, 1);

		const [sent] = t.gemini.requests[0]!.inlineData;
		expect(sent!.mimeType).toBe('image/jpeg');
		expect(await sharp(sent!.data).metadata()).toMatchObject({ format: 'jpeg', width: 3_072, height: 2_048 });
	});

	it('stores a long text file cut at 20,000 characters and sends it with one note', async () => {
		const t = await start();
		t.gemini.enqueue({ kind: 'reply', chunks: ['Read it.'] });
		const { message } = await mention(t, 'read this', t.discord.users.alice, [
			{ filename: 'long.txt', contentType: 'text/plain', data: Buffer.from('a'.repeat(30_000)) },
		]);
		await waitForReplies(t, message.id, 1);

		const note = '\n[… the rest of the file is left out]';
		expect(fromAlice(t.gemini.requests[0]!.contents[0]!.text)).toBe(
			`Alice: read this\n[file: long.txt]\n${'a'.repeat(20_000)}${note}`,
		);
		const stored = await t.sql.rows('SELECT size FROM turn_attachments');
		expect(stored).toEqual([{ size: 20_000 + Buffer.byteLength(note) }]);
	});
});

/** A turn's text from the member's words on (whatever opens the conversation before them). */
function fromAlice(text: string): string {
	return text.slice(text.indexOf('Alice: '));
}

/** Samples the process's resident memory every few milliseconds until stopped: where it started, and its peak. */
function watchRss() {
	const before = process.memoryUsage.rss();
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			return { before, peak: Math.max(peak, process.memoryUsage.rss()) };
		},
	};
}

describe('files kept with the conversation', () => {
	it('sends an earlier picture again after a restart, from storage, when its Discord link has expired', async () => {
		const t = await start();
		const png = await sampleFiles.png();
		const { message, thread } = await mention(t, 'remember this', t.discord.users.alice, [
			{ filename: 'cat.png', contentType: 'image/png', data: png },
		]);
		await waitForReplies(t, message.id, 1);
		await t.restart();
		t.discord.cdn.expire();
		const downloads = t.discord.cdn.requests.length;
		await t.discord.userSays(thread.id, t.discord.users.alice, 'what colour was it?');
		await waitForReplies(t, thread.id, 2);

		expect(t.gemini.requests[1]!.inlineData).toEqual([{ contentIndex: 0, mimeType: 'image/png', data: png }]);
		expect(t.discord.cdn.requests).toHaveLength(downloads);
	});

	it('replaces media older than CONTEXT_MEDIA_TURNS with a placeholder', async () => {
		const t = await start({ CONTEXT_MEDIA_TURNS: '1' });
		const { message, thread } = await mention(t, 'first picture', t.discord.users.alice, [
			{ filename: 'one.png', contentType: 'image/png', data: await sampleFiles.png('#111111') },
		]);
		await waitForReplies(t, message.id, 1);
		const two = await sampleFiles.png('#222222');
		await t.discord.userSays(thread.id, t.discord.users.alice, 'second picture', {
			attachments: [{ filename: 'two.png', contentType: 'image/png', data: two }],
		});
		await waitForReplies(t, thread.id, 2);

		const request = t.gemini.requests[1]!;
		expect(request.contents[0]!.text).toBe('Alice: first picture\n[image: one.png]');
		expect(request.inlineData).toEqual([{ contentIndex: 2, mimeType: 'image/png', data: two }]);
	});
});

describe('files with commands and replies', () => {
	it('/chat takes a file: it is quoted in the thread and reaches Gemini with the prompt', async () => {
		const t = await start();
		const png = await sampleFiles.png();
		const { interaction } = await runCommand(t, {
			name: 'chat',
			options: [option.string('prompt', 'what is this?'), attachmentOption('file')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
			attachments: [{ filename: 'thing.png', contentType: 'image/png', data: png }],
		});
		const [thread] = t.discord.threads;
		await waitForReplies(t, thread!.id, 1);
		expect(botContents(t, thread!.id)[0]).toBe('**Alice** asked:\n> what is this?\n📎 thing.png');
		expect(t.gemini.requests[0]!.inlineData).toEqual([{ contentIndex: 0, mimeType: 'image/png', data: png }]);
		expect(interaction.ephemeral).toBe(true);
	});

	it('sends the files of the message a member replies to again, and /export lists every file', async () => {
		const t = await start({ CONTEXT_MEDIA_TURNS: '1' });
		const png = await sampleFiles.png();
		const { message, thread } = await mention(t, 'a diagram', t.discord.users.alice, [
			{ filename: 'diagram.png', contentType: 'image/png', data: png },
		]);
		await waitForReplies(t, message.id, 1);
		await t.discord.userSays(thread.id, t.discord.users.bob, 'unrelated chat');
		await waitForReplies(t, thread.id, 2);
		await t.discord.userSays(thread.id, t.discord.users.bob, 'and in this one?', { replyTo: message.id });
		await waitForReplies(t, thread.id, 3);

		expect(t.gemini.requests[1]!.inlineData).toEqual([]);
		expect(t.gemini.requests[2]!.inlineData.map((file) => file.data)).toEqual([png]);
		const { interaction } = await runCommand(t, { name: 'export', channelId: thread.id, user: t.discord.users.bob });
		const exported = interaction.original!.attachments[0]!.data.toString().trim().split('\n');
		const files = exported.map((line) => (JSON.parse(line) as { files: { name: string; sha256: string }[] }).files);
		const sha256 = createHash('sha256').update(png).digest('hex');
		expect(files.map((list) => list.map((file) => [file.name, file.sha256]))).toEqual([
			[['diagram.png', sha256]],
			[],
			[],
			[],
			[['diagram.png', sha256]],
			[],
		]);
	});

	it('leaves the files of turns /reset took out of the context out too', async () => {
		const t = await start();
		const { message, thread } = await mention(t, 'a picture', t.discord.users.alice, [
			{ filename: 'old.png', contentType: 'image/png', data: await sampleFiles.png() },
		]);
		await waitForReplies(t, message.id, 1);
		await runCommand(t, { name: 'reset', channelId: thread.id, user: t.discord.users.alice });
		await t.discord.userSays(thread.id, t.discord.users.alice, 'fresh start');
		await waitForReplies(t, thread.id, 2);
		expect(t.gemini.requests[1]!.inlineData).toEqual([]);
		expect(t.gemini.requests[1]!.contents.map((content) => content.text)).toEqual(['Alice: fresh start']);
	});
});
