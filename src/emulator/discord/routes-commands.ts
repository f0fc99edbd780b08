import {
	apiError,
	invalidFormBody,
	isRecord,
	json,
	noContent,
	type RestRequest,
	type RestResponse,
	type RouteDefinition,
} from './responses.js';
import type { FakeState } from './state.js';

const COMMAND_NAME = /^[-_'\p{L}\p{N}]{1,32}$/u;

type StoredCommand = Record<string, unknown> & { id: string; name: string; type: number };

function validateCommand(command: unknown, index: number): RestResponse | undefined {
	const prefix = index < 0 ? '' : `${index}.`;
	if (!isRecord(command)) return invalidFormBody(`${prefix}name`, 'BASE_TYPE_REQUIRED', 'This field is required');
	const type = command.type ?? 1;
	const name = typeof command.name === 'string' ? command.name : '';
	if (!COMMAND_NAME.test(name) || (type === 1 && name !== name.toLowerCase())) {
		return invalidFormBody(`${prefix}name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
	}
	const description = typeof command.description === 'string' ? command.description : '';
	if (type === 1 && (description.length < 1 || description.length > 100)) {
		return invalidFormBody(`${prefix}description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
	}
	return undefined;
}

/** Shapes a command like Discord's response; ids stay stable for the same name and type, as on Discord. */
function storedCommand(
	state: FakeState,
	command: Record<string, unknown>,
	previous: unknown[],
	guildId: string | undefined,
): StoredCommand {
	const type = typeof command.type === 'number' ? command.type : 1;
	const name = String(command.name);
	const existing = previous.find((entry) => isRecord(entry) && entry.name === name && entry.type === type);
	return {
		...command,
		id: isRecord(existing) && typeof existing.id === 'string' ? existing.id : state.ids.next(),
		application_id: state.bot.id,
		version: state.ids.next(),
		type,
		name,
		name_localizations: command.name_localizations ?? null,
		description: typeof command.description === 'string' ? command.description : '',
		description_localizations: command.description_localizations ?? null,
		default_member_permissions: command.default_member_permissions ?? null,
		nsfw: command.nsfw ?? false,
		contexts: command.contexts ?? null,
		integration_types: command.integration_types ?? [0],
		...(guildId === undefined ? { dm_permission: command.dm_permission ?? true } : { guild_id: guildId }),
	};
}

export function commandRoutes(state: FakeState): RouteDefinition[] {
	const scope = (request: RestRequest): { list: unknown[]; guildId: string | undefined } | RestResponse => {
		if (request.params.applicationId !== state.bot.id) return apiError(404, 10002, 'Unknown Application');
		const guildId = request.params.guildId;
		if (guildId === undefined) return { list: state.commands.global, guildId };
		if (!state.guilds.has(guildId)) return apiError(403, 50001, 'Missing Access');
		return { list: state.commands.guild.get(guildId) ?? [], guildId };
	};
	const save = (guildId: string | undefined, list: unknown[]): void => {
		if (guildId === undefined) state.commands.global = list;
		else state.commands.guild.set(guildId, list);
	};
	const put = (request: RestRequest): RestResponse => {
		const target = scope(request);
		if ('status' in target) return target;
		if (!Array.isArray(request.body)) return invalidFormBody('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
		const commands: unknown[] = request.body;
		for (const [index, command] of commands.entries()) {
			const invalid = validateCommand(command, index);
			if (invalid) return invalid;
		}
		const list = commands.map((command) =>
			storedCommand(state, command as Record<string, unknown>, target.list, target.guildId),
		);
		save(target.guildId, list);
		state.commands.putCount += 1;
		return json(list);
	};
	const post = (request: RestRequest): RestResponse => {
		const target = scope(request);
		if ('status' in target) return target;
		const invalid = validateCommand(request.body, -1);
		if (invalid || !isRecord(request.body)) return invalid ?? apiError(400, 50035, 'Invalid Form Body');
		const command = storedCommand(state, request.body, target.list, target.guildId);
		save(target.guildId, [...target.list.filter((entry) => isRecord(entry) && entry.id !== command.id), command]);
		return json(command, 201);
	};
	const remove = (request: RestRequest): RestResponse => {
		const target = scope(request);
		if ('status' in target) return target;
		const remaining = target.list.filter((entry) => isRecord(entry) && entry.id !== request.params.commandId);
		if (remaining.length === target.list.length) return apiError(404, 10063, 'Unknown application command');
		save(target.guildId, remaining);
		return noContent();
	};
	const list = (request: RestRequest): RestResponse => {
		const target = scope(request);
		return 'status' in target ? target : json(target.list);
	};
	return ['/applications/:applicationId/commands', '/applications/:applicationId/guilds/:guildId/commands'].flatMap(
		(route): RouteDefinition[] => [
			{ method: 'PUT', route, auth: true, handler: put },
			{ method: 'GET', route, auth: true, handler: list },
			{ method: 'POST', route, auth: true, handler: post },
			{ method: 'DELETE', route: `${route}/:commandId`, auth: true, handler: remove },
		],
	);
}
