import { PermissionFlagsBits } from 'discord-api-types/v10';
import { permissionsOf } from './permissions.js';
import { guildOfChannel, type FakeState } from './state.js';
import type { AllowedMentionsBody, Pings, StoredMessage } from './types.js';

const USER_MENTION = /<@!?(\d{17,20})>/g;
const ROLE_MENTION = /<@&(\d{17,20})>/g;
const EVERYONE_MENTION = /@(?:everyone|here)\b/;

function unique(values: Iterable<string>): string[] {
	return [...new Set(values)];
}

/** Every mention written in `content`, before allowed_mentions and permissions are applied. */
export function mentionsInContent(content: string): Pings {
	return {
		everyone: EVERYONE_MENTION.test(content),
		users: unique([...content.matchAll(USER_MENTION)].map((match) => match[1] ?? '')),
		roles: unique([...content.matchAll(ROLE_MENTION)].map((match) => match[1] ?? '')),
	};
}

/** Who a message version notifies: Discord parses everything when allowed_mentions is absent. */
export function pingsOf(state: FakeState, message: StoredMessage, versionIndex?: number): Pings {
	const index = versionIndex ?? message.versions.length - 1;
	const content = message.versions[index] ?? message.content;
	const allowed = message.allowedMentions[index];
	const written = mentionsInContent(content);
	const guild = guildOfChannel(state, message.channelId);
	const canPingEveryone = (permissionsOf(guild, message.author.id) & PermissionFlagsBits.MentionEveryone) !== 0n;
	const knownUsers = written.users.filter((id) => state.users.has(id));
	const knownRoles = written.roles.filter((id) => guild.roles.some((role) => role.id === id));
	const parse = allowed?.parse;
	const users = allowed
		? knownUsers.filter((id) => parse?.includes('users') === true || allowed.users?.includes(id) === true)
		: knownUsers;
	const roles = allowed
		? knownRoles.filter((id) => parse?.includes('roles') === true || allowed.roles?.includes(id) === true)
		: knownRoles;
	const repliedAuthor = message.messageReference
		? state.messages.get(message.messageReference.messageId)?.author.id
		: undefined;
	if (repliedAuthor !== undefined && (!allowed || allowed.replied_user === true)) users.push(repliedAuthor);
	return {
		everyone: written.everyone && canPingEveryone && (!allowed || parse?.includes('everyone') === true),
		users: unique(users),
		roles,
	};
}

function exclusiveError(kind: 'users' | 'roles'): { field: string; code: string; message: string } {
	return {
		field: 'allowed_mentions',
		code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
		message: `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
	};
}

/** Discord rejects `parse: ['users']` together with `users: [...]` (same for roles). */
export function allowedMentionsError(
	value: AllowedMentionsBody | undefined,
): { field: string; code: string; message: string } | undefined {
	if (!value) return undefined;
	if (value.parse?.includes('users') === true && value.users !== undefined) return exclusiveError('users');
	if (value.parse?.includes('roles') === true && value.roles !== undefined) return exclusiveError('roles');
	return undefined;
}
