import { describe, expect, it } from 'vitest';
import { threadName } from '../../src/discord/client/thread-name.js';

describe('threadName', () => {
	it('uses the first non-empty line without markdown', () => {
		expect(threadName('\n  **How do I** sort   a `Vec`?\nmore text', 'Alice')).toBe('How do I sort a Vec?');
	});

	it('cuts long text at a word boundary within 100 characters', () => {
		const name = threadName('word '.repeat(40), 'Alice');
		expect(name.length).toBeLessThanOrEqual(100);
		expect(name.endsWith('word…')).toBe(true);
	});

	it('falls back to the author when there is no text', () => {
		expect(threadName('  \n ', 'Alice')).toBe('Chat with Alice');
	});
});
