import { describe, expect, it } from 'vitest';
import type { AttachmentKind } from '../../src/store/ports/attachment-store.js';
import { BACKENDS, useBackend } from './backends.js';
import { answer, ask, conversation, SESSION, user } from './fixtures.js';

const file = (filename: string, bytes: string, kind: AttachmentKind = 'text') => ({
	filename,
	mimeType: 'text/plain',
	kind,
	data: Buffer.from(bytes),
});

describe.each(BACKENDS)('$name: attachments', (backend) => {
	const h = useBackend(backend);

	it('stores the files of a turn in order, their bytes once per content, and counts them on the turn', async () => {
		const { sessions, attachments } = h.stores();
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'look');
		const stored = await attachments.add(question.id, [
			file('a.txt', 'same'),
			file('b.txt', 'other'),
			file('c.txt', 'same'),
		]);
		expect(stored.map((entry) => [entry.filename, entry.size])).toEqual([
			['a.txt', 4],
			['b.txt', 5],
			['c.txt', 4],
		]);
		expect(stored[0]?.sha256).toBe(stored[2]?.sha256);
		expect(await attachments.of(question.id)).toEqual(stored);
		expect(await h.count('attachment_blobs')).toBe(2);
		expect((await attachments.bytes(stored[1]!.sha256))?.toString()).toBe('other');
		expect(await attachments.bytes('0'.repeat(64))).toBeUndefined();
		expect((await sessions.findByDiscordMessage('m1'))?.attachmentCount).toBe(3);
		expect(await attachments.add(question.id, [])).toEqual([]);
	});

	it('links files already stored to another turn after its own, and keeps none for a deleted turn', async () => {
		const { sessions, attachments } = h.stores();
		await sessions.ensureSession(SESSION);
		const first = await ask(sessions, 'm1', 'a picture');
		const [picture] = await attachments.add(first.id, [file('p.png', 'pixels', 'image')]);
		const second = await ask(sessions, 'm2', 'about that picture');
		await attachments.add(second.id, [file('own.txt', 'own')]);
		await attachments.link(second.id, [picture!]);
		expect((await attachments.of(second.id)).map((entry) => entry.filename)).toEqual(['own.txt', 'p.png']);
		expect((await sessions.findByDiscordMessage('m2'))?.attachmentCount).toBe(2);
		await sessions.eraseTurn(second.id);
		expect(await attachments.add(second.id, [file('late.txt', 'late')])).toEqual([]);
		await attachments.link(second.id, [picture!]);
		expect(await attachments.of(second.id)).toEqual([]);
		expect((await attachments.bytes(picture!.sha256))?.toString()).toBe('pixels');
	});

	it('prunes the bytes no turn refers to any more', async () => {
		const { sessions, attachments } = h.stores();
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'files');
		await attachments.add(question.id, [file('a.txt', 'a')]);
		await h
			.db()
			.insertInto('attachment_blobs')
			.values({ sha256: 'orphan', data: Buffer.from('x'), size: 1 })
			.execute();
		expect(await attachments.prune()).toBe(1);
		expect(await attachments.prune()).toBe(0);
		expect(await h.count('attachment_blobs')).toBe(1);
	});

	it('refuses to delete bytes a turn still refers to (a foreign key, not a convention)', async () => {
		const { sessions, attachments } = h.stores();
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'files');
		const [stored] = await attachments.add(question.id, [file('a.txt', 'a')]);
		await expect(h.db().deleteFrom('attachment_blobs').where('sha256', '=', stored!.sha256).execute()).rejects.toThrow(
			/foreign key/i,
		);
	});
});

describe.each(BACKENDS)('$name: /forget', (backend) => {
	const h = useBackend(backend);

	it("deletes a thread's turns, files and summary, keeping its session, settings and other threads", async () => {
		let clock = 1_000;
		const { sessions, attachments, summaries, forget, personas } = h.stores(() => clock);
		const [first, second] = await conversation(sessions, 2);
		await attachments.add(first!.id, [file('only-here.txt', 'only here'), file('shared.txt', 'shared')]);
		await sessions.ensureSession({ ...SESSION, threadId: 't2' });
		const elsewhere = await sessions.appendUserTurn({ ...user('x1', 'elsewhere'), threadId: 't2' });
		const [shared] = await attachments.add(elsewhere!.id, [file('shared.txt', 'shared')]);
		await summaries.replace(
			{ threadId: 't1', summary: 'S', throughTurnId: first!.id, turnCount: 2, model: 'm' },
			0,
			clock,
		);
		await personas.set({ scopeId: 't1', guildId: 'g1', prompt: 'p', setBy: 'mod' });
		expect(await forget.count('t1')).toEqual({ messages: 4, files: 2, summary: true });

		clock = 9_000;
		expect(await forget.forget('t1')).toEqual({ messages: 4, files: 2, summary: true });
		expect(await sessions.listTurns('t1', { includeExcluded: true })).toEqual([]);
		expect(await forget.count('t1')).toEqual({ messages: 0, files: 0, summary: false });
		expect(await sessions.getSession('t1')).toMatchObject({ updatedAt: 0 });
		expect(await personas.get('t1')).toBeDefined();
		expect(await h.count('attachment_blobs')).toBe(1);
		expect((await attachments.bytes(shared!.sha256))?.toString()).toBe('shared');
		expect(second).toBeDefined();
	});

	it('keeps (or picks) one exchange, such as the one a reply is still being written for', async () => {
		const { sessions, forget } = h.stores();
		const [first, second, third] = await conversation(sessions, 3);
		expect(await forget.forget('t1', { except: third!.id })).toMatchObject({ messages: 4 });
		expect((await sessions.listTurns('t1')).map((turn) => turn.exchangeId)).toEqual([third!.id, third!.id]);
		expect(await forget.forget('t1', { only: third!.id })).toMatchObject({ messages: 2 });
		expect(await sessions.listTurns('t1')).toEqual([]);
		expect([first, second]).toHaveLength(2);
	});

	it('marks a thread left with turns as still active', async () => {
		let clock = 1_000;
		const { sessions, forget } = h.stores(() => clock);
		const [, second] = await conversation(sessions, 2);
		clock = 5_000;
		await answer(sessions, second!.id, 'again', { replyMessageIds: ['again'] });
		await forget.forget('t1', { except: second!.id });
		expect((await sessions.getSession('t1'))?.updatedAt).toBe(5_000);
	});
});
