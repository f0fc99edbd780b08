import { describe, expect, it, vi } from 'vitest';
import { attachmentOption } from '../../src/emulator/discord/index.js';
import { mention, turnsOf, waitForReplies } from '../support/conversation.js';
import { sampleFiles } from '../support/sample-files.js';
import { option, runCommand } from '../support/slash.js';
import { useTestBot } from '../support/use-test-bot.js';

const start = useTestBot();
const IMAGE_MODEL = 'gemini-2.5-flash-image';

describe('/imagine', () => {
	it('draws with the image model, asking for text and pictures, and posts the picture as a file with its words', async () => {
		const t = await start();
		const drawn = await sampleFiles.png('#ffcc00', 16);
		t.gemini.enqueue({
			kind: 'image',
			text: 'Here is a sunny field.',
			images: [{ mimeType: 'image/png', data: drawn }],
		});
		const { interaction, content } = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'a sunny field')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});

		expect(content).toBe('Here is a sunny field.');
		expect(interaction.ephemeral).toBe(true);
		expect(interaction.original!.attachments.map((file) => [file.filename, file.data])).toEqual([
			['gemini-1.png', drawn],
		]);
		const request = t.gemini.requests[0]!;
		expect(request).toMatchObject({ model: IMAGE_MODEL, action: 'generateContent' });
		expect(request.generationConfig).toMatchObject({ responseModalities: ['TEXT', 'IMAGE'] });
		expect(request.contents[0]!.text).toBe('a sunny field');
	});

	it('sends the picture to change with the prompt, and posts publicly when asked', async () => {
		const t = await start();
		const input = await sampleFiles.jpeg('#0000ff');
		t.gemini.enqueue({ kind: 'image', images: [{ mimeType: 'image/png', data: await sampleFiles.png('#000088') }] });
		const { interaction } = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'make it darker'), attachmentOption('image'), option.boolean('public', true)],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
			attachments: [{ filename: 'sky.jpg', contentType: 'image/jpeg', data: input }],
		});
		expect(t.gemini.requests[0]!.inlineData).toEqual([{ contentIndex: 0, mimeType: 'image/jpeg', data: input }]);
		expect(interaction.ephemeral).toBe(false);
		expect(interaction.original!.attachments).toHaveLength(1);
	});

	it('asks once more for pictures only when the answer had no picture, and posts the one that comes', async () => {
		const t = await start();
		const drawn = await sampleFiles.png('#00ff00');
		t.gemini.enqueue(
			{ kind: 'text-only', text: 'I would draw a cat like this…' },
			{ kind: 'image', images: [{ mimeType: 'image/png', data: drawn }] },
		);
		const { interaction } = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'a cat')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(t.gemini.requests.map((request) => request.generationConfig?.['responseModalities'])).toEqual([
			['TEXT', 'IMAGE'],
			['IMAGE'],
		]);
		expect(interaction.original!.attachments.map((file) => file.data)).toEqual([drawn]);
	});

	it('gives the words and a clear note when even the second answer has no picture, and never asks a third time', async () => {
		const t = await start();
		t.gemini.enqueue(
			{ kind: 'thoughts-only', thought: 'Hmm.' },
			{ kind: 'text-only', text: 'A cat is a small animal.' },
		);
		const { interaction, content } = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'a cat')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(content).toBe(
			'A cat is a small animal.\n\n⚠️ Gemini did not send a picture this time, only words. Try describing the picture you want more plainly.',
		);
		expect(interaction.original!.attachments).toEqual([]);
		expect(t.gemini.requests).toHaveLength(2);
	});

	it('says so when Gemini blocks the prompt or will not draw it', async () => {
		const t = await start();
		t.gemini.enqueue(
			{ kind: 'blocked-prompt', blockReason: 'SAFETY' },
			{ kind: 'image', images: [], finishReason: 'IMAGE_SAFETY' },
		);
		const first = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'something bad')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		const second = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'something else bad')],
			channelId: t.discord.textChannel.id,
			user: t.discord.users.alice,
		});
		expect(first.content).toBe('⚠️ Gemini would not draw this (SAFETY). Try a different prompt.');
		expect(second.content).toBe('⚠️ Gemini would not draw this (IMAGE_SAFETY). Try a different prompt.');
		expect(t.gemini.requests).toHaveLength(2);
	});

	it('in a bot thread, stores the prompt and the picture as turns of the conversation', async () => {
		const t = await start();
		const { thread } = await mention(t, 'let us draw');
		await waitForReplies(t, thread.id, 1);
		const drawn = await sampleFiles.png('#336699', 12);
		t.gemini.enqueue({ kind: 'image', text: 'A blue sky.', images: [{ mimeType: 'image/png', data: drawn }] });
		const { interaction } = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'a blue sky'), option.boolean('public', true)],
			channelId: thread.id,
			user: t.discord.users.alice,
		});
		await vi.waitFor(async () => {
			const turns = await turnsOf(t, thread.id);
			expect(turns.slice(2).map((turn) => [turn.role, turn.content, turn.model, turn.attachmentCount])).toEqual([
				['user', 'a blue sky', undefined, 0],
				['model', 'A blue sky.', IMAGE_MODEL, 1],
			]);
		});

		expect(interaction.original!.attachments).toHaveLength(1);
	});

	it('changes a picture it drew when a member replies to it, and that one can be changed again', async () => {
		const t = await start();
		const { thread } = await mention(t, 'let us draw');
		await waitForReplies(t, thread.id, 1);
		const sky = await sampleFiles.png('#6699ff', 12);
		t.gemini.enqueue({ kind: 'image', images: [{ mimeType: 'image/png', data: sky }] });
		const { interaction } = await runCommand(t, {
			name: 'imagine',
			options: [option.string('prompt', 'a sky'), option.boolean('public', true)],
			channelId: thread.id,
			user: t.discord.users.alice,
		});
		await vi.waitFor(async () => {
			expect(await turnsOf(t, thread.id)).toHaveLength(4);
		});
		const darker = await sampleFiles.png('#223366', 12);
		t.gemini.enqueue({ kind: 'image', text: 'Darker now.', images: [{ mimeType: 'image/png', data: darker }] });
		const ask = await t.discord.userSays(thread.id, t.discord.users.bob, 'make the sky darker', {
			replyTo: interaction.original!.id,
		});
		const answer = await t.discord.waitFor(() =>
			t.discord.messagesIn(thread.id).find((message) => message.messageReference?.messageId === ask.id),
		);

		const request = t.gemini.requests.at(-1)!;
		expect(request).toMatchObject({ model: IMAGE_MODEL, action: 'generateContent' });
		expect(request.contents[0]!.text).toBe('make the sky darker');
		expect(request.inlineData.map((file) => file.data)).toEqual([sky]);
		expect(answer.content).toBe('Darker now.');
		expect(answer.attachments.map((file) => file.data)).toEqual([darker]);
		expect(t.discord.pingsOf(answer)).toEqual({ everyone: false, users: [], roles: [] });
		await vi.waitFor(async () => {
			expect((await turnsOf(t, thread.id)).at(-1)).toMatchObject({
				role: 'model',
				model: IMAGE_MODEL,
				attachmentCount: 1,
			});
		});
	});
});
