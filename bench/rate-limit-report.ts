import type { RecordedRequest } from '../src/emulator/discord/index.js';
import type { TestBot } from '../test/support/start-test-bot.js';
import { maxInWindow } from './stats.js';
import type { Target } from './targets.js';

/** Bot REST requests (with its token) within any `windowMs` (sliding; the fake's global limit uses fixed windows). */
export function maxRequestsInWindow(t: TestBot, windowMs: number): number {
	const times = t.discord.requests.filter((request) => request.authorized).map((request) => request.at);
	return maxInWindow(times, windowMs);
}

/** What a bot request is, for counting where a rate limit went. */
function requestKind(request: RecordedRequest): string {
	if (request.route === '/channels/:channelId/messages/:messageId/threads') return 'thread creates';
	if (request.route === '/channels/:channelId/typing') return 'typing';
	if (request.route === '/channels/:channelId/messages' && request.method === 'POST') return 'message creates';
	if (request.route === '/channels/:channelId/messages/:messageId' && request.method === 'PATCH') return 'edits';
	return 'other';
}

/** The first 429's route, and the bot's requests (any status) in the 1 s up to it, by kind; '-' without 429s. */
export function first429(t: TestBot): string {
	const requests = t.discord.requests.filter((request) => request.authorized);
	const hit = requests.find((request) => request.status === 429);
	if (!hit) return '-';
	const counts = new Map<string, number>();
	for (const request of requests.filter((r) => r.at > hit.at - 1_000 && r.at <= hit.at)) {
		counts.set(requestKind(request), (counts.get(requestKind(request)) ?? 0) + 1);
	}
	const kinds = [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ');
	return `${hit.method} ${hit.route}; in the 1 s up to it: ${kinds}`;
}

/** Which routes got 429s: "POST /channels/:channelId/messages × 11, …"; '-' without. */
export function routesOf429s(t: TestBot): string {
	const counts = new Map<string, number>();
	for (const request of t.discord.requests.filter((r) => r.status === 429)) {
		const key = `${request.method} ${request.route}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts.size === 0 ? '-' : [...counts].map(([route, count]) => `${route} × ${count}`).join(', ');
}

/** "N (global M)". */
export function discord429s(t: TestBot): string {
	return `${t.discord.stats.served429} (global ${t.discord.stats.served429Global})`;
}

/** Zero 429s from the fake Discord, per-channel or global. */
export function no429sTarget(letter: string, t: TestBot): Target {
	const { served429 } = t.discord.stats;
	return { label: `(${letter}) Discord 429s served = 0`, pass: served429 === 0, value: discord429s(t) };
}
