import { parseDuration } from './parse-duration.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Typed reads of environment variables; every bad value adds one line to `problems` (naming the variable as the owner
 * wrote it) and the default is used meanwhile, so that all problems are reported at once.
 */
export type EnvReader = {
	/** The name in use: `name`, or an older name for the same setting when only that one is set. */
	readonly nameOf: (name: string, ...olderNames: readonly string[]) => string;
	readonly text: (name: string) => string | undefined;
	readonly url: (name: string) => string | undefined;
	readonly integer: (name: string, fallback: number, min: number, max: number) => number;
	readonly optionalInteger: (name: string, min: number, max: number) => number | undefined;
	/** A comma-separated list, trimmed, without empty entries. */
	readonly list: (name: string) => string[];
	readonly duration: (name: string, fallback: number) => number;
	readonly flag: (name: string, fallback: boolean) => boolean;
	readonly problem: (line: string) => void;
};

export function createEnvReader(env: Environment, problems: string[]): EnvReader {
	const text = (name: string): string | undefined => {
		const value = env[name]?.trim();
		return value === undefined || value === '' ? undefined : value;
	};
	const integer = (name: string, fallback: number, min: number, max: number): number => {
		const value = text(name);
		if (value === undefined) return fallback;
		const parsed = Number(value.replaceAll('_', ''));
		if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
			problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
			return fallback;
		}
		return parsed;
	};
	return {
		nameOf: (name, ...olderNames) =>
			text(name) !== undefined ? name : (olderNames.find((older) => text(older) !== undefined) ?? name),
		text,
		url(name) {
			const value = text(name);
			if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) {
				problems.push(`${name} must be an http(s) URL, got "${value}"`);
			}
			return value;
		},
		integer,
		optionalInteger: (name, min, max) => (text(name) === undefined ? undefined : integer(name, min, min, max)),
		list: (name) =>
			(text(name) ?? '')
				.split(',')
				.map((entry) => entry.trim())
				.filter((entry) => entry !== ''),
		duration(name, fallback) {
			const value = text(name);
			if (value === undefined) return fallback;
			if (value === '0') return 0;
			const parsed = parseDuration(value);
			if (parsed === undefined) {
				problems.push(`${name} must be a duration such as 30m, 24h or 3d (or 0 for off), got "${value}"`);
			}
			return parsed ?? fallback;
		},
		flag(name, fallback) {
			const value = text(name)?.toLowerCase();
			if (value === undefined) return fallback;
			if (['true', 'yes', 'on', '1'].includes(value)) return true;
			if (['false', 'no', 'off', '0'].includes(value)) return false;
			problems.push(`${name} must be true or false, got "${value}"`);
			return fallback;
		},
		problem(line) {
			problems.push(line);
		},
	};
}
