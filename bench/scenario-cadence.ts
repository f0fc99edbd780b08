import { ask, EDIT_INTERVAL_MS, proseChunks, waitForModelTurn } from './bench-bot.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { check, withBenchBot } from './scenario.js';
import { ms, percentile } from './stats.js';
import { threadTimeline, unchangedEdits } from './thread-writes.js';

const CHUNKS = 60;
const CHUNK_DELAY_MS = 100;
const CHUNK_SIZE = 25;

export const cadenceScenario: Scenario = {
	name: 'cadence',
	letter: 'g',
	title: '(g) Edit cadence of one long streamed answer',
	onBenchBackend: true,
	async run(): Promise<ScenarioResult> {
		const failures: string[] = [];
		const chunks = proseChunks(CHUNKS, CHUNK_SIZE);
		const modelText = chunks.join('');
		const rows = await withBenchBot({ GEMINI_RPM: '1000' }, async ({ t, tap }) => {
			t.gemini.enqueue({ kind: 'reply', chunks, chunkDelayMs: CHUNK_DELAY_MS });
			const { threadId } = await ask(t, 'give me a long answer');
			const turn = await waitForModelTurn(t, threadId, 30_000);
			const timeline = threadTimeline(t, threadId, modelText);
			const events = tap.exchanges[0]?.eventTimes ?? [];
			const firstChunkAt = events[0] ?? Number.NaN;
			const lastChunkAt = events.at(-1) ?? Number.NaN;
			const { writes } = timeline;
			const edits = writes.filter((write) => write.kind === 'edit');
			const gaps = writes.slice(1).map((write, index) => write.at - (writes[index]?.at ?? write.at));
			const firstWriteAt = writes[0]?.at ?? Number.NaN;
			const lastWriteAt = timeline.lastWriteAt ?? Number.NaN;
			const streamSeconds = (lastChunkAt - firstChunkAt) / 1000;
			check(failures, turn.status === 'complete', `reply status ${turn.status ?? 'none'}`);
			check(failures, timeline.finalText === modelText, 'final text differs from the model text');
			check(failures, timeline.messageCount === 1, `expected 1 message, got ${timeline.messageCount}`);
			check(failures, events.length === CHUNKS, `expected ${CHUNKS} SSE events, got ${events.length}`);
			return [
				['model stream (first → last chunk)', ms(lastChunkAt - firstChunkAt)],
				['messages / writes (1 create + edits)', `${timeline.messageCount} / ${writes.length}`],
				['edits; content-unchanged / identical edits', `${edits.length}; ${unchangedEdits([timeline])}`],
				['edits per second while streaming', (edits.length / streamSeconds).toFixed(2)],
				[
					'writes per second, first → last write',
					((writes.length - 1) / ((lastWriteAt - firstWriteAt) / 1000)).toFixed(2),
				],
				['max writes in any 1 s window', String(t.discord.maxMessageWritesInWindow(threadId, 1_000))],
				['max writes in any 5 s window', String(t.discord.maxMessageWritesInWindow(threadId, 5_000))],
				[
					'gap between writes: min / p50 / max',
					`${ms(Math.min(...gaps))} / ${ms(percentile(gaps, 50))} / ${ms(Math.max(...gaps))}`,
				],
				['last chunk → final text visible', ms((timeline.completeAt ?? Number.NaN) - lastChunkAt)],
				['final text equals model text', timeline.finalText === modelText ? 'yes' : 'NO'],
				['Discord 429s served', String(t.discord.stats.served429)],
			];
		});
		return {
			setup:
				`One mention; the fake Gemini streams ${CHUNKS} chunks of ~${CHUNK_SIZE} chars every ${CHUNK_DELAY_MS} ms ` +
				`(${modelText.length} chars, one Discord message); STREAM_EDIT_INTERVAL_MS=${EDIT_INTERVAL_MS}, GEMINI_RPM=1000.`,
			header: ['metric', 'value'],
			rows,
			failures,
		};
	},
};
