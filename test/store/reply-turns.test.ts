import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackend } from './backends.js';
import { answer, ask, author, contents, ending, SESSION, USAGE } from './fixtures.js';

describe.each(BACKENDS)('$name: reply turns', (backend) => {
	const h = useBackend(backend);

	async function asked() {
		let clock = 1_000;
		const stores = h.stores(() => (clock += 1));
		await stores.sessions.ensureSession(SESSION);
		const question = await ask(stores.sessions, 'm1', 'question');
		return { ...stores, question };
	}

	it('stores a reply as streaming from its first message, then finishes it in place', async () => {
		const { sessions, question } = await asked();
		const id = await sessions.beginReply(author(question.id), { content: '', replyMessageIds: ['r1'] });
		expect((await sessions.streamingReplies()).map((turn) => [turn.id, turn.status, turn.discordMessageId])).toEqual([
			[id, 'streaming', 'r1'],
		]);
		await sessions.updateReply(id, { content: 'Half', replyMessageIds: ['r1', 'r2'] });
		expect((await sessions.streamingReplies())[0]).toMatchObject({ content: 'Half', replyMessageIds: ['r1', 'r2'] });
		const finished = await sessions.finishReply(
			id,
			ending(question.id, 'Half and whole', { replyMessageIds: ['r1', 'r2'] }),
		);
		expect(finished).toMatchObject({ id, status: 'complete', content: 'Half and whole', usage: USAGE });
		expect(await sessions.streamingReplies()).toEqual([]);
		await sessions.updateReply(id, { content: 'late write', replyMessageIds: ['r1'] });
		expect((await sessions.listTurns('t1'))[1]?.content).toBe('Half and whole');
	});

	it('counts a question as unanswered while its only reply was cut short by a crash or a shutdown', async () => {
		const { sessions, question } = await asked();
		const id = await sessions.beginReply(author(question.id), { content: 'cut', replyMessageIds: ['r1'] });
		expect(await sessions.hasFinishedAnswer(question.id)).toBe(false);
		await sessions.finishReply(id, ending(question.id, 'cut', { status: 'partial', errorCode: 'interrupted' }));
		expect(await sessions.hasFinishedAnswer(question.id)).toBe(false);
		expect(await sessions.isAnswered(question)).toBe(true);
		await answer(sessions, question.id, 'a whole answer', { replyMessageIds: ['r9'] });
		expect(await sessions.hasFinishedAnswer(question.id)).toBe(true);
	});

	it('keeps a reply never posted to Discord without a message id', async () => {
		const { sessions, question } = await asked();
		const reply = await answer(sessions, question.id, 'nobody saw this', { replyMessageIds: [], status: 'partial' });
		expect(reply).toMatchObject({ discordMessageId: undefined, replyMessageIds: [] });
	});

	it('refuses to finish a reply that does not exist', async () => {
		const { sessions, question } = await asked();
		await expect(sessions.finishReply(question.id + 1_000, ending(question.id, 'x'))).rejects.toThrow(/not stored/);
	});

	it('finds a reply by any of its Discord messages, only in its own thread', async () => {
		const { sessions, question } = await asked();
		const id = await sessions.beginReply(author(question.id), { content: 'long', replyMessageIds: ['r1', 'r2', 'r3'] });
		expect((await sessions.findReplyByMessage('t1', 'r2'))?.id).toBe(id);
		expect((await sessions.findReplyByMessage('t1', 'r3'))?.id).toBe(id);
		expect(await sessions.findReplyByMessage('t1', 'r4')).toBeUndefined();
		expect(await sessions.findReplyByMessage('t1', 'm1')).toBeUndefined();
		expect(await sessions.findReplyByMessage('other', 'r2')).toBeUndefined();
		expect((await sessions.findByDiscordMessage('r1'))?.id).toBe(id);
	});
});

describe.each(BACKENDS)('$name: member turns that change', (backend) => {
	const h = useBackend(backend);

	it('updates an edited turn and withdraws a deleted one with any reply begun for it', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'typo');
		await sessions.updateTurnContent(question.id, 'fixed');
		expect((await sessions.findByDiscordMessage('m1'))?.content).toBe('fixed');
		await sessions.beginReply(author(question.id), { content: '', replyMessageIds: ['status'] });
		await sessions.withdrawTurn(question.id);
		expect(await sessions.listTurns('t1', { includeExcluded: true })).toEqual([]);
		expect(await sessions.hasDiscordMessage('m1')).toBe(false);
	});

	it('erases a turn others depend on: its text, sources and files go, its place stays', async () => {
		let clock = 1_000;
		const { sessions, attachments } = h.stores(() => clock);
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'secret question');
		const [file] = await attachments.add(question.id, [
			{ filename: 'a.txt', mimeType: 'text/plain', kind: 'text', data: Buffer.from('file bytes') },
		]);
		const grounding = { sources: [{ title: 'T', url: 'https://example.com' }], queries: ['q'] };
		const reply = await answer(sessions, question.id, 'the answer', { grounding });
		clock = 2_000;
		await sessions.eraseTurn(question.id);
		await sessions.eraseTurn(reply.id);
		const stored = await sessions.listTurns('t1', { includeExcluded: true });
		expect(stored).toEqual([]);
		const tombstone = await sessions.findByDiscordMessage('m1');
		expect(tombstone).toMatchObject({ content: '', attachmentCount: 0, excludedAt: 2_000 });
		expect(await sessions.findByDiscordMessage(`reply-${question.id}`)).toMatchObject({
			content: '',
			grounding: undefined,
		});
		expect(await attachments.of(question.id)).toEqual([]);
		expect(await attachments.bytes(file!.sha256)).toBeUndefined();
		expect(await sessions.hasFinishedAnswer(question.id)).toBe(true);
	});

	it('keeps an erased reply blank when its stream finishes afterwards', async () => {
		const { sessions } = h.stores();
		await sessions.ensureSession(SESSION);
		const question = await ask(sessions, 'm1', 'question');
		const id = await sessions.beginReply(author(question.id), { content: 'so far', replyMessageIds: ['r1'] });
		await sessions.eraseTurn(id);
		await sessions.updateReply(id, { content: 'more', replyMessageIds: ['r1'] });
		const grounding = { sources: [], queries: ['q'] };
		const finished = await sessions.finishReply(id, ending(question.id, 'all of it', { grounding }));
		expect(finished).toMatchObject({ content: '', grounding: undefined, status: 'complete' });
	});

	it('drops the summary that stood for an edited, withdrawn or erased turn, and only that one', async () => {
		let clock = 1_000;
		const { sessions, summaries } = h.stores(() => (clock += 1));
		await sessions.ensureSession(SESSION);
		const questions = [];
		for (const n of [0, 1, 2]) {
			const question = await ask(sessions, `m${n}`, `question ${n}`);
			await answer(sessions, question.id, `answer ${n}`);
			questions.push(question);
		}
		const [first, , third] = questions;
		const summarize = () =>
			summaries.replace({ threadId: 't1', summary: 'S', throughTurnId: first!.id, turnCount: 2, model: 'm' }, 0, clock);
		expect(await summarize()).toBe(true);
		await sessions.updateTurnContent(third!.id, 'after the summary');
		expect(await summaries.summaryOf('t1')).toBeDefined();
		await sessions.updateTurnContent(first!.id, 'changed');
		expect(await summaries.summaryOf('t1')).toBeUndefined();
		for (const remove of [(id: number) => sessions.eraseTurn(id), (id: number) => sessions.withdrawTurn(id)]) {
			await summaries.drop('t1');
			clock += 10;
			expect(await summarize()).toBe(true);
			await remove(first!.id);
			expect(await summaries.summaryOf('t1')).toBeUndefined();
		}
		expect(contents(await sessions.listTurns('t1'))).toEqual([
			'question 1',
			'answer 1',
			'after the summary',
			'answer 2',
		]);
	});
});
