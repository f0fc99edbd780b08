import { describe, expect, it } from 'vitest';
import { fenceStateAfter, splitMessage } from '../../src/reply/split-message.js';
import { joinParts } from '../../src/reply/join-parts.js';

const paragraph = (n: number, length = 300) => `Paragraph ${n} ${'lorem ipsum '.repeat(length / 12)}`.trim();

describe('splitMessage', () => {
	it('returns short text unchanged as a single part', () => {
		expect(splitMessage('hello')).toEqual(['hello']);
		expect(splitMessage('x'.repeat(2000))).toEqual(['x'.repeat(2000)]);
	});

	it('returns no parts for empty text', () => {
		expect(splitMessage('')).toEqual([]);
	});

	it('keeps every part within the limit and loses no character', () => {
		const text = Array.from({ length: 30 }, (_, n) => paragraph(n)).join('\n\n');
		const parts = splitMessage(text);
		expect(parts.length).toBeGreaterThan(1);
		for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
		expect(parts.join('')).toBe(text);
	});

	it('cuts at a paragraph boundary when one is available', () => {
		const text = `${'a '.repeat(700)}\n\n${'b '.repeat(700)}`;
		const [first, second] = splitMessage(text);
		expect(first).toBe(`${'a '.repeat(700)}\n\n`);
		expect(second).toBe('b '.repeat(700));
	});

	it('falls back to a line, then a word boundary', () => {
		const lines = `${'word '.repeat(300)}\n${'next '.repeat(200)}`;
		expect(splitMessage(lines)[0]).toBe(`${'word '.repeat(300)}\n`);
		const words = 'word '.repeat(600);
		const parts = splitMessage(words);
		expect(parts[0]?.endsWith('word ')).toBe(true);
		expect(parts.join('')).toBe(words);
	});

	it('hard-cuts text without any boundary, never inside an emoji', () => {
		const text = `${'x'.repeat(1995)}${'😀'.repeat(10)}`;
		const parts = splitMessage(text);
		expect(parts.join('')).toBe(text);
		for (const part of parts) {
			expect(part.length).toBeLessThanOrEqual(2000);
			expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
		}
	});

	it('closes a code block at the cut and reopens it with its language in the next part', () => {
		const code = Array.from({ length: 120 }, (_, n) => `const value${n} = compute(${n}); // line ${n}`).join('\n');
		const text = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.`;
		const parts = splitMessage(text);
		expect(parts.length).toBeGreaterThan(2);
		for (const [index, part] of parts.entries()) {
			expect(part.length).toBeLessThanOrEqual(2000);
			expect(fenceStateAfter(part).open).toBe(false);
			if (index > 0) expect(part.startsWith('```ts\n')).toBe(true);
		}
		expect(parts.at(-1)?.endsWith('That is all.')).toBe(true);
		expect(joinParts(parts)).toBe(text);
	});

	it('does not end a part with an empty code block', () => {
		const text = `${'intro '.repeat(320)}\n\`\`\`python\n${'print("hi")\n'.repeat(60)}\`\`\``;
		const parts = splitMessage(text);
		expect(parts[0]).not.toMatch(/```python\n?```$/);
		expect(parts[1]?.startsWith('```python\n')).toBe(true);
		expect(joinParts(parts)).toBe(text);
	});

	it('honours a custom limit', () => {
		const parts = splitMessage('one two three four five six', 10);
		for (const part of parts) expect(part.length).toBeLessThanOrEqual(10);
		expect(parts.join('')).toBe('one two three four five six');
	});
});

describe('fenceStateAfter', () => {
	it('tracks open blocks and their language like Discord', () => {
		expect(fenceStateAfter('text')).toEqual({ open: false });
		expect(fenceStateAfter('```js\nlet a')).toEqual({ open: true, language: 'js' });
		expect(fenceStateAfter('```js\nlet a\n```')).toEqual({ open: false });
		expect(fenceStateAfter('inline ```code``` then ```\nmore')).toEqual({ open: true, language: '' });
	});
});

describe('splitMessage on generated answers', () => {
	// A small deterministic PRNG so a failure can be reproduced from its seed.
	const prng = (seed: number) => () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};
	const generate = (random: () => number): string => {
		const blocks: string[] = [];
		for (let n = 0; n < 5 + Math.floor(random() * 20); n += 1) {
			if (random() < 0.3) {
				const lines = Array.from(
					{ length: 5 + Math.floor(random() * 80) },
					(_, line) => `  call(${line}, "${'z'.repeat(Math.floor(random() * 60))}");`,
				);
				blocks.push(`\`\`\`${random() < 0.5 ? 'js' : ''}\n${lines.join('\n')}\n\`\`\``);
			} else {
				blocks.push(
					Array.from({ length: 1 + Math.floor(random() * 90) }, () => 'word').join(random() < 0.1 ? '' : ' '),
				);
			}
		}
		return blocks.join(random() < 0.5 ? '\n\n' : '\n');
	};

	it('keeps parts within 2,000 characters, balanced, and joinable for 300 generated answers', () => {
		for (let seed = 1; seed <= 300; seed += 1) {
			const text = generate(prng(seed));
			const parts = splitMessage(text);
			for (const part of parts) {
				expect(part.length, `seed ${seed}`).toBeLessThanOrEqual(2000);
				expect(part.trim(), `seed ${seed}`).not.toBe('');
			}
			for (const part of parts.slice(0, -1)) expect(fenceStateAfter(part).open, `seed ${seed}`).toBe(false);
			expect(joinParts(parts), `seed ${seed}`).toBe(text);
		}
	});
});
