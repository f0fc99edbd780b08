import type { UsageReport, UsageTotal } from '../store/ports/usage-store.js';

export type UsagePeriod = { readonly label: string; readonly report: UsageReport };

/** How many channels and members are listed by name per period; the others are summed on one line. */
export const USAGE_TOP = 10;

/** The /usage answer: per period, the server's total, then the top channels and members with the rest summed. */
export function usageReportText(
	periods: readonly UsagePeriod[],
	options: { readonly top?: number; readonly scope?: 'server' | 'visible-channels' } = {},
): string {
	const top = options.top ?? USAGE_TOP;
	const lines = [
		options.scope === 'visible-channels'
			? '## Token usage in the channels you can see'
			: '## Token usage in this server',
	];
	for (const { label, report } of periods) {
		lines.push('');
		if (report.total.calls === 0) {
			lines.push(`**${label}**: no model calls.`);
			continue;
		}
		lines.push(`**${label}**: ${describeTotal(report.total)}`);
		lines.push('By channel:', ...ranking(report.byChannel, top, (id) => `<#${id}>`, 'channel'));
		lines.push('By member:', ...ranking(report.byUser, top, (id) => `<@${id}>`, 'member'));
		lines.push('By model:', ...ranking(report.byModel, top, (id) => `\`${id}\``, 'model'));
		if (report.byLocation.length > 0) {
			lines.push('By Vertex AI location:', ...ranking(report.byLocation, top, (id) => `\`${id}\``, 'location'));
		}
	}
	lines.push(
		'',
		'-# Replies, pictures and summaries, as counted by the models; thinking tokens count as output; ' +
			'cached prompt tokens are billed at a discount.',
	);
	return lines.join('\n');
}

function ranking(totals: readonly UsageTotal[], top: number, mention: (id: string) => string, noun: string): string[] {
	const shown = totals.slice(0, top).map((total) => `- ${mention(total.id)}: ${describeTotal(total)}`);
	const rest = totals.slice(top);
	if (rest.length === 0) return shown;
	const summed = rest.reduce((sum, total) => ({
		id: '',
		calls: sum.calls + total.calls,
		promptTokens: sum.promptTokens + total.promptTokens,
		cachedTokens: sum.cachedTokens + total.cachedTokens,
		outputTokens: sum.outputTokens + total.outputTokens,
		totalTokens: sum.totalTokens + total.totalTokens,
	}));
	return [...shown, `- ${rest.length} other ${noun}${rest.length === 1 ? '' : 's'}: ${describeTotal(summed)}`];
}

function describeTotal(total: UsageTotal): string {
	const calls = `${number(total.calls)} call${total.calls === 1 ? '' : 's'}`;
	const cached = total.cachedTokens > 0 ? ` of which ${number(total.cachedTokens)} cached` : '';
	return `${number(total.totalTokens)} tokens (${number(total.promptTokens)} prompt${cached}, ${number(total.outputTokens)} output) in ${calls}`;
}

function number(value: number): string {
	return value.toLocaleString('en-US');
}
