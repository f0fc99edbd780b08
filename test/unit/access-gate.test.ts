import type { SettingValues } from '../../src/domain/setting-values.js';
import { EVERYONE } from '../../src/domain/setting-values.js';
import { createLocalLimits } from '../../src/limits/memory/create-local-limits.js';
import { describe, expect, it } from 'vitest';
import type { AccessRequest } from '../../src/access/access-gate.js';
import { createAccessGate } from '../../src/access/access-gate.js';
import { createBudgetLedger } from '../../src/access/budget-ledger.js';
import { budgetText, dayStart } from '../../src/access/daily-budget.js';

import { effectiveSettings } from '../../src/settings/model-settings.js';

const DAY = 86_400_000;
const DEFAULTS = { footer: false, maxOutputTokens: 8_192 };
const NOON = Date.UTC(2026, 10, 28, 12);

function world(options: { channel?: SettingValues; thread?: SettingValues; member?: number; guild?: number } = {}) {
	let clock = NOON;
	const used = { member: options.member ?? 0, guild: options.guild ?? 0 };
	const calls: { since: number; userId: string | undefined }[] = [];
	const gate = (limits: { memberTokens?: number; guildTokens?: number }) =>
		createAccessGate({
			settingsFor: (threadId, channelId) =>
				Promise.resolve(
					effectiveSettings(DEFAULTS, options.channel, threadId === channelId ? undefined : options.thread),
				),
			budgets: createBudgetLedger({
				usage: {
					tokensSince: (_guildId, since, userId) => {
						calls.push({ since, userId });
						return Promise.resolve(since > NOON ? 0 : userId === undefined ? used.guild : used.member);
					},
					record: () => Promise.resolve(),
				},
				limits: { memberTokens: limits.memberTokens, guildTokens: limits.guildTokens },
				reservations: createLocalLimits({ now: () => clock }).totals,
				now: () => clock,
			}),
			once: createLocalLimits({ now: () => clock }).once,
			now: () => clock,
		});
	return { gate, calls, tick: (ms: number) => (clock += ms) };
}

const request = (overrides: Partial<AccessRequest> = {}): AccessRequest => ({
	guildId: 'g1',
	channelId: 'c1',
	threadId: 't1',
	userId: 'alice',
	moderator: false,
	roleIds: [],
	starting: false,
	...overrides,
});

describe('access gate', () => {
	it('lets everyone in where nothing is set and no budget is configured, without reading the ledger', async () => {
		const { gate, calls } = world();
		expect(await gate({}).check(request())).toEqual({ allowed: true });
		expect(calls).toEqual([]);
	});

	it('refuses members where the channel is switched off, telling each member once a day; moderators pass', async () => {
		const { gate } = world({ channel: { enabled: false } });
		const { check } = gate({});
		expect(await check(request())).toMatchObject({ allowed: false, reason: 'disabled', tell: true });
		expect(await check(request())).toMatchObject({ allowed: false, reason: 'disabled', tell: false });
		expect(await check(request({ userId: 'bob' }))).toMatchObject({ tell: true });
		expect(await check(request({ moderator: true }))).toEqual({ allowed: true });
	});

	it('lets a thread switch itself back on', async () => {
		const { gate } = world({ channel: { enabled: false }, thread: { enabled: true } });
		expect(await gate({}).check(request())).toEqual({ allowed: true });
		expect(await gate({}).check(request({ threadId: undefined }))).toMatchObject({ allowed: false });
	});

	it('asks for the role only to start a conversation, and not of moderators or with @everyone', async () => {
		const { gate } = world({ channel: { role: 'r1' } });
		const { check } = gate({});
		expect(await check(request({ starting: true }))).toMatchObject({
			allowed: false,
			reason: 'role',
			text: 'Only members with the <@&r1> role can start a conversation with me here.',
		});
		expect(await check(request({ starting: true, roleIds: ['r0', 'r1'] }))).toEqual({ allowed: true });
		expect(await check(request({ starting: false }))).toEqual({ allowed: true });
		expect(await check(request({ starting: true, moderator: true }))).toEqual({ allowed: true });
		const open = world({ channel: { role: 'r1' }, thread: { role: EVERYONE } });
		expect(await open.gate({}).check(request({ starting: true }))).toEqual({ allowed: true });
	});

	it("stops a member at their daily tokens and everyone at the server's, until midnight UTC", async () => {
		const member = world({ member: 1_000, guild: 1_000 });
		const memberGate = member.gate({ memberTokens: 1_000 });
		const refused = await memberGate.check(request());
		expect(refused).toMatchObject({ allowed: false, reason: 'member-budget', tell: true });
		expect(member.calls).toEqual([{ since: dayStart(NOON), userId: 'alice' }]);
		expect(await memberGate.check(request())).toMatchObject({ tell: false });
		// The next day the count starts again, and the member may be told again.
		member.tick(DAY);
		expect(await memberGate.check(request())).toEqual({ allowed: true });

		const server = world({ member: 10, guild: 5_000 });
		const serverGate = server.gate({ memberTokens: 1_000, guildTokens: 5_000 });
		expect(await serverGate.check(request({ userId: 'bob' }))).toMatchObject({ reason: 'server-budget', tell: true });
		expect(await serverGate.check(request({ userId: 'carol' }))).toMatchObject({ reason: 'server-budget', tell: true });
		expect(
			await world({ member: 999, guild: 4_999 }).gate({ memberTokens: 1_000, guildTokens: 5_000 }).check(request()),
		).toEqual({ allowed: true });
	});

	it('says politely when the limit resets, in Discord timestamps', () => {
		const resetsAt = dayStart(NOON) + DAY;
		expect(budgetText({ scope: 'member', limit: 20_000, resetsAt })).toBe(
			`Sorry, you have used today's 20,000 tokens on this server, so I will not answer you until the limit resets <t:${resetsAt / 1_000}:R> (<t:${resetsAt / 1_000}:t>).`,
		);
		expect(budgetText({ scope: 'server', limit: 5, resetsAt })).toContain('this server has used today');
	});
});
