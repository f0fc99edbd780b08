import type { AnyThreadChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createPermissionNotices } from '../../src/discord/client/permission-notices.js';
import { silentLogger } from '../support/silent-logger.js';

describe('permission notices', () => {
	it('tells a parent channel once per thread, remembering a bounded number of threads', () => {
		const sent: string[] = [];
		const parent = {
			isSendable: () => true,
			send: (message: { content: string }) => {
				sent.push(message.content);
				return Promise.resolve();
			},
		};
		const thread = (id: string) => ({ id, parent }) as unknown as AnyThreadChannel;
		const notices = createPermissionNotices(silentLogger);
		notices.notify(thread('t0'));
		notices.notify(thread('t0'));
		expect(sent).toHaveLength(1);
		// A long-running bot meets ever more threads: the oldest are forgotten, and at worst told once more.
		for (let index = 1; index <= 10_000; index += 1) notices.notify(thread(`t${index}`));
		expect(sent).toHaveLength(10_001);
		notices.notify(thread('t0'));
		expect(sent).toHaveLength(10_002);
		notices.notify(thread('t10000'));
		expect(sent).toHaveLength(10_002);
	});
});
