import { describe, expect, it, vi } from 'vitest';
import { freePort } from '../support/health-bot.js';
import { POSTGRES_TESTS_RUN } from '../support/postgres.js';
import { REDIS_TESTS_RUN } from '../support/redis.js';
import { startRedisServer } from '../support/redis-server.js';
import { useShardedWorld } from '../support/sharded-world.js';
import { ask, botLines } from '../support/sharded-conversation.js';
import { openTestSql } from '../support/test-sql.js';

const start = useShardedWorld();

describe.runIf(POSTGRES_TESTS_RUN && REDIS_TESTS_RUN)('a process killed mid-stream, and Redis going away', () => {
	it("closes and answers its own cut reply once after a restart; the other process's threads are untouched", async () => {
		const world = await start();
		const [zero, one] = await Promise.all([world.startProcess(0), world.startProcess(1)]);
		const [a, b] = world.guilds;
		world.gemini.enqueue({ kind: 'hang-after', chunks: ['The first part of a long answer'] });
		const cut = await ask(world, a, a.users.alice, 'a long answer please');
		const sql = openTestSql({ backend: 'postgres', url: world.databaseUrl });
		try {
			await world.discord.waitFor(
				async () => (await sql.value<number>("SELECT count(*) FROM messages WHERE status = 'streaming'")) === 1,
				{ description: 'the reply stored as streaming', timeoutMs: 10_000 },
			);
			world.gemini.enqueue({ kind: 'reply', chunks: ['Answered by the other process.'] });
			const other = await ask(world, b, b.users.bob, 'a question for the other process');
			await world.discord.waitFor(
				async () =>
					(await sql.value<number>(
						"SELECT count(*) FROM messages WHERE thread_id = ? AND role = 'model' AND status = 'complete'",
						other.id,
					)) === 1,
				{ description: "the other process's answer stored", timeoutMs: 10_000 },
			);

			await zero.kill();
			// The other process restarting meanwhile leaves the cut reply alone: it is not its shard's.
			await one.kill();
			const oneAgain = await world.startProcess(1);
			await world.discord.waitFor(() => oneAgain.output().includes('"msg":"recovery finished"'), {
				description: 'the other process recovered',
			});
			expect(oneAgain.output()).toMatch(/"interrupted":0,"answered":0,"msg":"recovery finished"/);
			expect(botLines(world, cut.id)).toEqual(['The first part of a long answer']);

			world.gemini.enqueue({ kind: 'reply', chunks: ['Answered again, in full.'] });
			await world.startProcess(0);
			await world.discord.waitFor(() => botLines(world, cut.id).length === 2, {
				description: 'the cut reply closed and the question answered again',
				timeoutMs: 15_000,
			});
			expect(botLines(world, cut.id)).toEqual([
				'The first part of a long answer\n\n⚠️ The bot restarted before finishing this answer.',
				'Answered again, in full.',
			]);
			expect(botLines(world, other.id)).toEqual(['Answered by the other process.']);
			expect(world.gemini.requests).toHaveLength(3);
			expect(await sql.value<number>("SELECT count(*) FROM messages WHERE status = 'streaming'")).toBe(0);
		} finally {
			await sql.close();
		}
	});

	it('keeps answering within each process share while Redis is away, says degraded, then shares again', async () => {
		const redis = await startRedisServer();
		try {
			const world = await start({ redisUrl: redis.url });
			const [healthZero, healthOne] = [await freePort(), await freePort()];
			const env = (port: number) => ({ MODEL_RPM: '4', HEALTH_PORT: String(port) });
			const [zero, one] = await Promise.all([
				world.startProcess(0, env(healthZero)),
				world.startProcess(1, env(healthOne)),
			]);
			const health = async (port: number) =>
				(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; limits?: string };
			expect(await health(healthZero)).toMatchObject({ status: 'ok', limits: 'shared' });

			await redis.stop();
			const [a, b] = world.guilds;
			// Four a minute in all: two for each process while they cannot share.
			const threads = [
				await ask(world, a, a.users.alice, 'one'),
				await ask(world, a, a.users.bob, 'two'),
				await ask(world, a, a.users.moderator, 'three'),
				await ask(world, b, b.users.alice, 'four'),
			];
			await world.discord.waitFor(() => world.gemini.requests.length >= 3, { timeoutMs: 10_000 });
			await vi.waitFor(async () => {
				expect(await health(healthZero)).toMatchObject({ status: 'degraded', limits: 'degraded' });
			}, 5_000);
			await new Promise((resolve) => setTimeout(resolve, 1_500));
			expect(world.gemini.requests).toHaveLength(3);
			expect(threads.filter((thread) => botLines(world, thread.id).some((line) => /^Echo/.test(line)))).toHaveLength(3);
			for (const bot of [zero, one]) {
				expect(bot.output().match(/Redis unreachable: each process keeps 1\/P of every limit/g)).toHaveLength(1);
			}

			await redis.start();
			await vi.waitFor(async () => {
				expect(await health(healthZero)).toMatchObject({ status: 'ok', limits: 'shared' });
				expect(await health(healthOne)).toMatchObject({ status: 'ok', limits: 'shared' });
			}, 10_000);
			expect(zero.output()).toContain('Redis is back: the limits are shared again');
		} finally {
			await redis.stop();
		}
	});
});
