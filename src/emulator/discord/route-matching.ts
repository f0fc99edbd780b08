import type { RouteDefinition } from './responses.js';

export const API_PREFIX = '/api/v10';

export type CompiledRoute = RouteDefinition & { pattern: RegExp; names: string[] };

export type RouteMatch = {
	route: CompiledRoute | undefined;
	params: Record<string, string>;
	/** Some route has this path under another method (405 rather than 404). */
	pathKnown: boolean;
};

function compile(route: RouteDefinition): CompiledRoute {
	const names: string[] = [];
	const source = route.route
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			names.push(segment.slice(1));
			return '([^/]+)';
		})
		.join('/');
	return { ...route, pattern: new RegExp(`^${source}$`), names };
}

export function compileRoutes(definitions: RouteDefinition[]): CompiledRoute[] {
	return definitions.map(compile);
}

/** The path after `/api/v10`, each segment percent-decoded (`%40original` → `@original`). */
export function decodePath(pathname: string): string {
	return pathname
		.slice(API_PREFIX.length)
		.split('/')
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment;
			}
		})
		.join('/');
}

export function matchRoute(routes: CompiledRoute[], method: string, path: string): RouteMatch {
	const matching = routes.filter((candidate) => candidate.pattern.test(path));
	const route = matching.find((candidate) => candidate.method === method);
	const params: Record<string, string> = {};
	const values = route?.pattern.exec(path)?.slice(1) ?? [];
	route?.names.forEach((name, index) => (params[name] = values[index] ?? ''));
	return { route, params, pathKnown: matching.length > 0 };
}
