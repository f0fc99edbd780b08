import type { FakeDiscord, FakeUser } from '../emulator/discord/index.js';
import { nameOf } from './sandbox-view.js';

/** A member the page lets one speak as. */
export type Speaker = { readonly id: string; readonly name: string; readonly role: string; readonly user: FakeUser };

/** The moderator (Manage Channels: personas, settings) and an ordinary member, so that permissions can be tried. */
export function sandboxSpeakers(discord: FakeDiscord): Speaker[] {
	const { moderator, alice } = discord.users;
	return [
		{ id: moderator.id, name: nameOf(moderator), role: 'owner · Manage Channels', user: moderator },
		{ id: alice.id, name: nameOf(alice), role: 'member', user: alice },
	];
}
