import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './backends.js';
import { ask, author, ending, SESSION, user } from './fixtures.js';

const ATTEMPTS = 8;

describe.each(BACKENDS)('$name: concurrent writers and failed transactions', (backend) => {
	const h = useBackend(backend);

	it('stores a Discord message once when the same event is stored several times at once', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		const results = await Promise.all(
			Array.from({ length: ATTEMPTS }, () => sessions.appendUserTurn(user('m1', 'replayed'))),
		);
		expect(results.filter((turn) => turn !== undefined)).toHaveLength(1);
		expect(await h.count('messages')).toBe(1);
	});

	it('keeps the bytes of one file once when turns of several threads add it at once', async () => {
		const { sessions, attachments } = h.stores();
		const turns = await Promise.all(
			Array.from({ length: ATTEMPTS }, async (_, index) => {
				await sessions.ensureSession({ ...SESSION, threadId: `t${index}` });
				const turn = await sessions.appendUserTurn({ ...user(`m${index}`, 'x'), threadId: `t${index}` });
				return turn!;
			}),
		);
		const data = Buffer.from('the same picture');
		const stored = await Promise.all(
			turns.map((turn) =>
				attachments.add(turn.id, [{ filename: 'p.png', mimeType: 'image/png', kind: 'image', data }]),
			),
		);
		expect(new Set(stored.map(([file]) => file?.sha256)).size).toBe(1);
		expect(await h.count('attachment_blobs')).toBe(1);
		expect(await h.count('turn_attachments')).toBe(ATTEMPTS);
	});

	it('never loses a file one thread adds while a turn of another thread with the same file is withdrawn', async () => {
		const { sessions, attachments } = h.stores();
		await sessions.ensureSession(SESSION);
		await sessions.ensureSession({ ...SESSION, threadId: 't2' });
		for (let round = 0; round < 10; round += 1) {
			const data = Buffer.from(`shared ${round}`);
			const file = { filename: 'f.txt', mimeType: 'text/plain', kind: 'text' as const, data };
			const leaving = await sessions.appendUserTurn({ ...user(`leaving-${round}`, 'x'), threadId: 't2' });
			await attachments.add(leaving!.id, [file]);
			const staying = await ask(sessions, `staying-${round}`, 'y');
			const [[added]] = await Promise.all([attachments.add(staying.id, [file]), sessions.withdrawTurn(leaving!.id)]);
			expect((await attachments.bytes(added!.sha256))?.toString()).toBe(`shared ${round}`);
		}
	});

	it('rewinds each exchange once when two rewinds race', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		for (const n of [1, 2, 3]) await ask(sessions, `m${n}`, `q${n}`);
		const [first, second] = await Promise.all([sessions.rewind('t1', 2), sessions.rewind('t1', 2)]);
		expect(first + second).toBe(3);
	});

	it('never keeps a summary of words a member edited while it was being saved', async () => {
		let clock = 1_000;
		const { sessions, summaries } = h.stores(() => clock);
		await sessions.ensureSession(SESSION);
		for (let round = 0; round < 10; round += 1) {
			const question = await ask(sessions, `m${round}`, 'before');
			const readAt = clock;
			clock += 1;
			const summary = { threadId: 't1', summary: 'S', throughTurnId: question.id, turnCount: 1, model: 'm' };
			const previous = (await summaries.summaryOf('t1'))?.throughTurnId ?? 0;
			await Promise.all([
				summaries.replace(summary, previous, readAt),
				sessions.updateTurnContent(question.id, 'after'),
			]);
			expect(await summaries.summaryOf('t1')).toBeUndefined();
		}
	});

	it("leaves nothing of a turn's files when one of them cannot be stored", async () => {
		const { sessions, attachments } = h.stores();
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'files');
		await expect(
			attachments.add(question.id, [
				{ filename: 'ok.txt', mimeType: 'text/plain', kind: 'text', data: Buffer.from('fine') },
				// Not a kind the schema allows: the second insert fails after the first succeeded.
				{ filename: 'bad.bin', mimeType: 'application/x', kind: 'binary' as 'text', data: Buffer.from('bad') },
			]),
		).rejects.toThrow(/check/i);
		expect(await h.count('attachment_blobs')).toBe(0);
		expect(await h.count('turn_attachments')).toBe(0);
		expect((await sessions.findByDiscordMessage('m1'))?.attachmentCount).toBe(0);
	});

	it('stores neither a reply nor the session touch when the reply cannot be stored', async () => {
		let clock = 1_000;
		const { sessions } = h.stores(() => clock);
		await sessions.ensureSession(SESSION);
		clock = 9_000;
		// The session is touched first, then the reply's insert fails (a question that does not exist).
		await expect(sessions.appendModelTurn(author(12_345), ending(12_345, 'orphan'))).rejects.toThrow(/foreign key/i);
		expect((await sessions.getSession('t1'))?.updatedAt).toBe(1_000);
		expect(await h.count('messages')).toBe(0);
	});

	it('keeps the connection usable after a failed transaction', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		await expect(sessions.appendModelTurn(author(12_345), ending(12_345, 'orphan'))).rejects.toThrow();
		expect(await ask(sessions, 'm1', 'still works')).toMatchObject({ content: 'still works' });
	});
});
