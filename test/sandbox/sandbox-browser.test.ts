import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import type { Sandbox } from '../../src/sandbox/start-sandbox.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { announceSkip } from '../support/announce-skip.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '../../artifacts/sandbox');
const inCi = process.env.CI === 'true';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && !inCi) {
	announceSkip(
		'sandbox-browser',
		`sandbox browser tests skipped: no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`,
	);
}

describe.runIf(haveBrowser || inCi)('the sandbox page in a real browser', () => {
	let sandbox: Sandbox;
	let browser: Browser;
	let page: Page;
	let directory: string;

	const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
	const speakAs = (name: string): Promise<string[]> => page.selectOption('#speaker', { label: name });
	const botMessages = (): ReturnType<Page['locator']> => page.locator('article[data-author-bot="true"]');
	const storedBotText = (channelId: string): string =>
		sandbox.discord
			.messagesIn(channelId)
			.filter((message) => message.author.bot)
			.map((message) => message.content)
			.join('\n');

	async function runCommand(name: string, sub: string, options: Record<string, string>): Promise<void> {
		await page.click('#open-commands');
		await page.selectOption('#command-name', name);
		await page.selectOption('#command-sub', sub);
		for (const [option, value] of Object.entries(options)) await page.fill(`#option-${option}`, value);
		await page.click('#command-run');
	}

	beforeAll(async () => {
		if (!haveBrowser) throw new Error(`CI runs the browser tests: install Chromium at ${CHROMIUM} (.ci/run does)`);
		mkdirSync(ARTIFACTS, { recursive: true });
		directory = mkdtempSync(join(tmpdir(), 'gemthread-sandbox-'));
		sandbox = await startSandbox({
			env: {},
			databasePath: join(directory, 'sandbox.db'),
			host: '127.0.0.1',
			port: 0,
			demoChunkDelayMs: 40,
			logger: createLogger('silent'),
		});
		// Chromium's own calls home are refused on a closed network: turned off, not left to fail at every start.
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
		});
		page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
		await page.goto(sandbox.url);
		await page.waitForSelector('nav a[data-channel-id]');
	}, 60_000);

	afterAll(async () => {
		// Undefined when beforeAll failed early.
		await (browser as Browser | undefined)?.close();
		await (sandbox as Sandbox | undefined)?.stop();
		rmSync(directory, { recursive: true, force: true });
	});

	it('opens on #general of a guild with two channels, the demo model named as such', async () => {
		await expect(page.locator('nav a').allInnerTexts()).resolves.toEqual(['# general', '# random']);
		await expect(page.locator('#model').innerText()).resolves.toMatch(/^Demo model .*canned text, not an AI$/);
		await shot('1-empty-general');
	});

	it("answers a mention in a thread that appears in the side list, streaming edits that settle on the model's full text", async () => {
		await speakAs('Alice');
		await page.fill('#message-input', '@Gemthread how do threads work?');
		await page.press('#message-input', 'Enter');
		const thread = page.locator('nav a.thread');
		await thread.waitFor();
		await expect(thread.innerText()).resolves.toContain('how do threads work?');
		await thread.click();
		const reply = botMessages().first().locator('.content');
		const seen = new Set<string>();
		const last = 'The demo model streams this text a few words at a time.';
		await expect
			.poll(
				async () => {
					const text = await reply.innerText().catch(() => '');
					if (text !== '') seen.add(text);
					return text.includes(last) && (await page.locator('button[data-custom-id]').count()) === 0;
				},
				{ timeout: 20_000, interval: 30 },
			)
			.toBe(true);
		// Several partial texts on the way: the page followed the bot's edits as they happened.
		expect(seen.size).toBeGreaterThanOrEqual(3);
		const threadId = sandbox.discord.threads[0]?.id ?? '';
		expect(storedBotText(threadId)).toBe(sandbox.demo?.answers[0]);
		await expect(page.locator('article .content pre code').first().innerText()).resolves.toBe('npm run sandbox');
		await expect(page.locator('article .content .subtext').first().innerText()).resolves.toBe(last);
		await expect(page.locator('article .content a[href="https://aistudio.google.com/apikey"]').count()).resolves.toBe(
			1,
		);
		await shot('2-answered-thread');
	});

	it('sets a persona as the owner, and refuses the ordinary member', async () => {
		await page.click('nav a[data-channel-id]:has-text("# general")');
		await speakAs('Moderator');
		await runCommand('persona', 'set', { prompt: 'You are a helpful pirate.' });
		const ephemeral = page.locator('article.ephemeral');
		await expect.poll(() => ephemeral.last().innerText(), { timeout: 10_000 }).toContain('Persona set for');
		await expect(ephemeral.last().innerText()).resolves.toContain('Only you can see this');
		await shot('3-persona-set-by-owner');
		await speakAs('Alice');
		// The moderator's confirmation is theirs alone.
		await expect.poll(() => page.locator('article.ephemeral').count()).toBe(0);
		await runCommand('persona', 'set', { prompt: 'You are a grumpy cat.' });
		await expect
			.poll(() => page.locator('article.ephemeral').last().innerText(), { timeout: 10_000 })
			.toContain('You need the Manage Channels permission to use this command.');
		await shot('4-persona-refused-for-member');
	});

	it('sends a picture with a message, shows it, and the bot downloads it and answers', async () => {
		await page.click('nav a.thread');
		const picture = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
			.png()
			.toBuffer();
		await page.setInputFiles('#files', { name: 'green.png', mimeType: 'image/png', buffer: picture });
		await page.fill('#message-input', 'what colour is this?');
		await page.press('#message-input', 'Enter');
		const image = page.locator('article[data-author-bot="false"] .attachments img[alt="green.png"]');
		await image.waitFor();
		await expect(
			image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth),
		).resolves.toBe(64);
		await expect.poll(() => sandbox.demo?.answers.length, { timeout: 20_000 }).toBe(2);
		await expect.poll(() => sandbox.discord.cdn.requests.filter((request) => request.status === 200).length).toBe(1);
		const reply = botMessages().filter({ hasText: 'You wrote: “Alice: what colour is this? [image: green.png]”' });
		await expect
			.poll(() => reply.innerText(), { timeout: 20_000 })
			.toContain('The demo model streams this text a few words at a time.');
		await expect.poll(() => page.locator('button[data-custom-id]').count(), { timeout: 10_000 }).toBe(0);
		await shot('5-picture');
	});

	it('stops a reply with its Stop button', async () => {
		await page.fill('#message-input', 'tell me everything');
		await page.press('#message-input', 'Enter');
		const reply = botMessages().filter({ hasText: 'You wrote: “Alice: tell me everything' });
		const stop = reply.locator('button[data-custom-id]', { hasText: 'Stop' });
		await stop.waitFor({ timeout: 20_000 });
		await shot('6-streaming-with-stop');
		await stop.click();
		await expect.poll(() => stop.count(), { timeout: 10_000 }).toBe(0);
		const answer = sandbox.demo?.answers.at(-1) ?? '';
		const threadId = sandbox.discord.threads[0]?.id ?? '';
		const last = sandbox.discord
			.messagesIn(threadId)
			.filter((message) => message.author.bot)
			.at(-1);
		await expect.poll(() => reply.innerText(), { timeout: 10_000 }).toContain('Stopped by Alice.');
		expect(sandbox.demo?.answers).toHaveLength(3);
		expect(last?.content.length).toBeLessThan(answer.length);
		await shot('7-stopped');
	});
});
