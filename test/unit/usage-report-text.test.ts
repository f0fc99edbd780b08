import { describe, expect, it } from 'vitest';
import { usageReportText } from '../../src/commands/usage-report-text.js';
import type { UsageReport, UsageTotal } from '../../src/store/ports/usage-store.js';

const total = (id: string, totalTokens: number, calls = 1): UsageTotal => ({
	id,
	calls,
	promptTokens: totalTokens - 10,
	cachedTokens: 0,
	outputTokens: 10,
	totalTokens,
});
const report = (
	byChannel: UsageTotal[],
	byUser: UsageTotal[],
	byModel: UsageTotal[] = [],
	byLocation: UsageTotal[] = [],
): UsageReport => ({
	total: {
		id: 'g',
		calls: byChannel.reduce((sum, entry) => sum + entry.calls, 0),
		promptTokens: byChannel.reduce((sum, entry) => sum + entry.promptTokens, 0),
		cachedTokens: byChannel.reduce((sum, entry) => sum + entry.cachedTokens, 0),
		outputTokens: byChannel.reduce((sum, entry) => sum + entry.outputTokens, 0),
		totalTokens: byChannel.reduce((sum, entry) => sum + entry.totalTokens, 0),
	},
	byChannel,
	byUser,
	byModel,
	byLocation,
});
const empty = report([], []);

describe('usageReportText', () => {
	it('shows each period with its total, then channels and members as mentions', () => {
		const day = report([total('c1', 12_345, 3)], [total('u1', 12_345, 3)], [total('gemini-2.5-flash', 12_345, 3)]);
		expect(usageReportText([{ label: 'Last 24 hours', report: day }])).toBe(
			[
				'## Token usage in this server',
				'',
				'**Last 24 hours**: 12,345 tokens (12,335 prompt, 10 output) in 3 calls',
				'By channel:',
				'- <#c1>: 12,345 tokens (12,335 prompt, 10 output) in 3 calls',
				'By member:',
				'- <@u1>: 12,345 tokens (12,335 prompt, 10 output) in 3 calls',
				'By model:',
				'- `gemini-2.5-flash`: 12,345 tokens (12,335 prompt, 10 output) in 3 calls',
				'',
				'-# Replies, pictures and summaries, as counted by the models; thinking tokens count as output; ' +
					'cached prompt tokens are billed at a discount.',
			].join('\n'),
		);
	});

	it('says how many prompt tokens came from the cache, per total and per model', () => {
		const cached = { ...total('gemini-2.5-flash', 5_010, 2), cachedTokens: 4_096 };
		const text = usageReportText([{ label: 'Day', report: report([cached], [], [cached]) }]);
		expect(text).toContain('**Day**: 5,010 tokens (5,000 prompt of which 4,096 cached, 10 output) in 2 calls');
		expect(text).toContain('- `gemini-2.5-flash`: 5,010 tokens (5,000 prompt of which 4,096 cached, 10 output)');
	});

	it('says so when a period had no calls', () => {
		expect(usageReportText([{ label: 'Last 30 days', report: empty }])).toContain('**Last 30 days**: no model calls.');
	});

	it('lists the top entries and sums the rest on one line', () => {
		const channels = [total('c1', 500), total('c2', 400), total('c3', 300, 2), total('c4', 200)];
		const text = usageReportText([{ label: 'Day', report: report(channels, [total('u1', 1_400, 5)]) }], { top: 2 });
		expect(text).toContain('- <#c2>: 400 tokens');
		expect(text).not.toContain('c3');
		expect(text).toContain('- 2 other channels: 500 tokens (480 prompt, 20 output) in 3 calls');
		expect(text).not.toContain('other member');
	});

	it('uses the singular for one other entry', () => {
		const text = usageReportText([{ label: 'Day', report: report([total('c1', 2), total('c2', 1)], []) }], { top: 1 });
		expect(text).toContain('- 1 other channel: 1 tokens');
	});
});
