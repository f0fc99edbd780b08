import type { AnyThreadChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createPermissionNotices } from '../../src/discord/client/permission-notices.js';
import { createLocalLimits } from '../../src/limits/memory/create-local-limits.js';
import { silentLogger } from '../support/silent-logger.js';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('permission notices', () => {
	it('tells a parent channel once per thread', async () => {
		const sent: string[] = [];
		const parent = {
			isSendable: () => true,
			send: (message: { content: string }) => {
				sent.push(message.content);
				return Promise.resolve();
			},
		};
		const thread = (id: string) => ({ id, parent }) as unknown as AnyThreadChannel;
		const notices = createPermissionNotices(silentLogger, createLocalLimits().once);
		notices.notify(thread('t0'));
		notices.notify(thread('t0'));
		await settled();
		expect(sent).toHaveLength(1);
		notices.notify(thread('t1'));
		notices.notify(thread('t0'));
		await settled();
		expect(sent).toHaveLength(2);
	});
});
