import { describe, expect, it } from 'vitest';
import { MAX_SOURCES, sourcesText } from '../../src/chat/sources-text.js';
import type { Grounding } from '../../src/llm/chat-model.js';

const grounding = (sources: Grounding['sources'], queries: readonly string[] = []): Grounding => ({
	sources,
	queries,
});
const source = (title: string, url: string) => ({ title, url });

describe('sourcesText', () => {
	it('lists sources as numbered links with previews suppressed, under a heading', () => {
		expect(
			sourcesText(
				grounding([
					source('Rust Book', 'https://doc.rust-lang.org/book/'),
					source('MDN', 'https://developer.mozilla.org/'),
				]),
			),
		).toBe(
			[
				'**Sources**',
				'1. [Rust Book](<https://doc.rust-lang.org/book/>)',
				'2. [MDN](<https://developer.mozilla.org/>)',
			].join('\n'),
		);
	});

	it('lists at most five sources, merging duplicates by link and by title whatever its case', () => {
		const text = sourcesText(
			grounding([
				source('One', 'https://one.example/'),
				source('One again', 'https://one.example/'),
				source('ONE', 'https://other.example/one'),
				source('Two', 'https://two.example/'),
				source('Three', 'https://three.example/'),
				source('Four', 'https://four.example/'),
				source('Five', 'https://five.example/'),
				source('Six', 'https://six.example/'),
			]),
		);
		const links = text!.split('\n').slice(1);
		expect(MAX_SOURCES).toBe(5);
		expect(links).toEqual([
			'1. [One](<https://one.example/>)',
			'2. [Two](<https://two.example/>)',
			'3. [Three](<https://three.example/>)',
			'4. [Four](<https://four.example/>)',
			'5. [Five](<https://five.example/>)',
		]);
	});

	it('shortens long titles to 60 characters with an ellipsis and flattens them to one line', () => {
		const title = `A very\nlong   title ${'x'.repeat(100)}`;
		const line = sourcesText(grounding([source(title, 'https://long.example/')]))!.split('\n')[1]!;
		const shown = /^1\. \[(.*)\]\(<https:\/\/long\.example\/>\)$/.exec(line)?.[1];
		expect(shown).toHaveLength(60);
		expect(shown!.startsWith('A very long title xxx')).toBe(true);
		expect(shown!.endsWith('x…')).toBe(true);
		const exact = 'y'.repeat(60);
		expect(sourcesText(grounding([source(exact, 'https://exact.example/')]))).toContain(`[${exact}]`);
	});

	it('takes brackets out of titles so the link markdown stays whole', () => {
		expect(sourcesText(grounding([source('[PDF] Report [2024]', 'https://r.example/')]))).toContain(
			'1. [PDF Report 2024](<https://r.example/>)',
		);
	});

	it('names an untitled source by its host', () => {
		expect(sourcesText(grounding([source('  ', 'https://www.example.org/page')]))).toContain(
			'1. [www.example.org](<https://www.example.org/page>)',
		);
	});

	it('skips links that are not http(s) or not links at all, without using up a number', () => {
		const text = sourcesText(
			grounding([
				source('Script', 'javascript:alert(1)'),
				source('File', 'file:///etc/passwd'),
				source('Broken', 'not a url'),
				source('Plain', 'http://plain.example/'),
			]),
		);
		expect(text).toBe('**Sources**\n1. [Plain](<http://plain.example/>)');
	});

	it('encodes a > in a link so it cannot end the <…> early', () => {
		const text = sourcesText(grounding([source('Odd', 'https://odd.example/a>b?q=1>2#x>y')]))!;
		const url = /\(<(.*)>\)$/.exec(text.split('\n')[1]!)?.[1];
		expect(url).toBe('https://odd.example/a%3Eb?q=1%3E2#x%3Ey');
	});

	it('lists the searches Gemini made once each, after the sources', () => {
		expect(
			sourcesText(grounding([source('Docs', 'https://docs.example/')], [' rust traits ', 'rust traits', '', 'mdn'])),
		).toBe('**Sources**\n1. [Docs](<https://docs.example/>)\n-# Searched for: “rust traits”, “mdn”');
	});

	it('shows the searches alone when no source is usable', () => {
		expect(sourcesText(grounding([source('Bad', 'ftp://x.example/')], ['weather']))).toBe('-# Searched for: “weather”');
	});

	it('returns undefined when there is nothing to list', () => {
		expect(sourcesText(undefined)).toBeUndefined();
		expect(sourcesText(grounding([]))).toBeUndefined();
		expect(sourcesText(grounding([source('Bad', 'mailto:a@b.example')], ['  ', '']))).toBeUndefined();
	});
});
