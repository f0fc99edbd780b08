import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The floors of the house, top to bottom: a file may import from its own floor and the floors below, never from one
 * above. One member message goes down them once: discord/events → chat → reply → (the reply target port, which
 * discord/targets implements and the composition root plugs in).
 */
const FLOORS: readonly (readonly string[])[] = [
	// The sandbox composes the bot with the emulator, as main.ts composes it with Discord.
	['main.ts', 'index.ts', 'scripts', 'cluster', 'startup', 'sandbox'],
	['discord/events'],
	['commands'],
	['discord/targets'],
	['recovery'],
	['summarize'],
	['memory'],
	['images'],
	['privacy', 'health'],
	['discord/reading', 'discord/client'],
	['chat'],
	['access'],
	['settings'],
	['attachments'],
	['reply'],
	['llm/providers'],
	['llm/openai'],
	['llm'],
	['limits'],
	['concurrency'],
	['store'],
	['store/sqlite', 'store/postgres'],
	['store/kysely'],
	['store/ports'],
	['domain', 'log'],
	['config'],
	// The Discord emulator and the demo model stand in for the outside world: they import nothing of the bot.
	['emulator'],
];

/** The floor of a file: the longest folder (or root file) of FLOORS it is in. */
function floorOf(file: string): number {
	let best = { floor: -1, length: -1 };
	FLOORS.forEach((rooms, floor) => {
		for (const room of rooms) {
			const inside = room.endsWith('.ts') ? file === room : file.startsWith(`${room}/`);
			if (inside && room.length > best.length) best = { floor, length: room.length };
		}
	});
	if (best.floor < 0) throw new Error(`${file} is on no floor: add its folder to FLOORS`);
	return best.floor;
}

function sourceFiles(directory: string): string[] {
	return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

function importsOf(path: string): string[] {
	const text = readFileSync(path, 'utf8');
	return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!);
}

describe('the layers of src/', () => {
	it('has no import that climbs to a floor above its own', () => {
		const climbing: string[] = [];
		for (const path of sourceFiles(SRC)) {
			const file = relative(SRC, path);
			for (const specifier of importsOf(path)) {
				const target = relative(SRC, resolve(dirname(path), specifier)).replace(/\.js$/, '.ts');
				if (floorOf(target) < floorOf(file)) climbing.push(`${file} -> ${target}`);
			}
		}
		expect(climbing).toEqual([]);
	});
});
