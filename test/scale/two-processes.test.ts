import { describe, expect, it } from 'vitest';
import { pause } from '../support/conversation.js';
import { POSTGRES_TESTS_RUN } from '../support/postgres.js';
import { REDIS_TESTS_RUN } from '../support/redis.js';
import { useShardedWorld } from '../support/sharded-world.js';
import { ask, botLines } from '../support/sharded-conversation.js';

const start = useShardedWorld();

describe.runIf(POSTGRES_TESTS_RUN && REDIS_TESTS_RUN)(
	'two processes, a shard each, one PostgreSQL and one Redis',
	() => {
		it('answers every thread from the process of its guild, and nowhere else', async () => {
			const world = await start();
			const [zero, one] = await Promise.all([world.startProcess(0), world.startProcess(1)]);
			const [a, b] = world.guilds;
			const inA = await ask(world, a, a.users.alice, 'hello from the first guild');
			const inB = await ask(world, b, b.users.bob, 'hello from the second guild');
			await world.discord.waitFor(() => botLines(world, inA.id).length === 1 && botLines(world, inB.id).length === 1, {
				description: 'both answered',
				timeoutMs: 10_000,
			});
			const answered = (output: string, threadId: string) =>
				output.split('\n').some((line) => line.includes('"msg":"reply finished"') && line.includes(threadId));
			// Logs reach the pipe a moment after the reply is shown.
			await world.discord.waitFor(() => answered(zero.output(), inA.id) && answered(one.output(), inB.id), {
				description: "each reply in its process's log",
			});
			expect(answered(zero.output(), inB.id)).toBe(false);
			expect(answered(one.output(), inA.id)).toBe(false);
			expect(world.gemini.requests).toHaveLength(2);
			// Only the process of shard 0 registered the commands.
			expect(zero.output()).toContain('"msg":"slash commands registered"');
			expect(one.output()).not.toContain('slash commands');
		});

		it('keeps MODEL_RPM over both processes together', async () => {
			const world = await start();
			await Promise.all([world.startProcess(0, { MODEL_RPM: '3' }), world.startProcess(1, { MODEL_RPM: '3' })]);
			const [a, b] = world.guilds;
			const asked = [
				ask(world, a, a.users.alice, 'one'),
				ask(world, b, b.users.alice, 'two'),
				ask(world, a, a.users.bob, 'three'),
				ask(world, b, b.users.bob, 'four'),
				ask(world, a, a.users.moderator, 'five'),
				ask(world, b, b.users.moderator, 'six'),
			];
			await Promise.all(asked);
			await world.discord.waitFor(() => world.gemini.requests.length >= 3, { timeoutMs: 10_000 });
			// Each process alone would start 3: together they start 3 in the minute, and the others wait.
			await pause(2_000);
			expect(world.gemini.requests).toHaveLength(3);
		});

		it('holds the other process off a model whose daily quota one process found used up', async () => {
			const world = await start();
			await Promise.all([world.startProcess(0), world.startProcess(1)]);
			const [a, b] = world.guilds;
			world.gemini.enqueue({ kind: 'per-day-429' });
			const inA = await ask(world, a, a.users.alice, 'first');
			await world.discord.waitFor(() => botLines(world, inA.id).length > 0, { timeoutMs: 10_000 });
			expect(botLines(world, inA.id).join('\n')).toMatch(/quota/i);
			const inB = await ask(world, b, b.users.bob, 'second, on the other process');
			await world.discord.waitFor(() => botLines(world, inB.id).length > 0, { timeoutMs: 10_000 });
			expect(botLines(world, inB.id).join('\n')).toMatch(/quota/i);
			expect(world.gemini.requests).toHaveLength(1);
		});

		it("counts a member's waiting calls over both processes (USER_QUEUE_MAX)", async () => {
			const world = await start();
			const env = { USER_QUEUE_MAX: '1', MODEL_CONCURRENCY: '1' };
			await Promise.all([world.startProcess(0, env), world.startProcess(1, env)]);
			const [a, b] = world.guilds;
			world.gemini.enqueue({ kind: 'hang-after', chunks: ['Thinking'] });
			const running = await ask(world, a, a.users.bob, 'a long answer');
			await world.discord.waitFor(() => botLines(world, running.id).length > 0, { timeoutMs: 10_000 });
			// Alice's question waits behind Bob's in the first process: her one place is taken.
			const waiting = await ask(world, a, a.users.alice, 'my question waits');
			await world.discord.waitFor(() => botLines(world, waiting.id).length > 0, { timeoutMs: 10_000 });
			const message = await world.discord.userSays(
				b.textChannel.id,
				b.users.alice,
				`<@${world.discord.bot.id}> and one in the other server`,
			);
			await world.discord.waitFor(
				() =>
					world.discord.messagesIn(b.textChannel.id).some((reply) => reply.messageReference?.messageId === message.id),
				{ description: 'the refusal', timeoutMs: 10_000 },
			);
			const refusal = world.discord
				.messagesIn(b.textChannel.id)
				.find((reply) => reply.messageReference?.messageId === message.id);
			expect(refusal?.content).toBe(
				'⏳ You already have 1 questions waiting for an answer. Please wait for those before asking more.',
			);
			expect(world.gemini.requests).toHaveLength(1);
		});
	},
);
