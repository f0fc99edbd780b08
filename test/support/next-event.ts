import type { Client } from 'discord.js';

/** The next `event` a discord.js client emits whose value passes `filter`. */
export function nextEvent<T>(client: Client, event: string, filter: (value: T) => boolean = () => true): Promise<T> {
	return new Promise((resolve) => {
		const listener = (value: T): void => {
			if (!filter(value)) return;
			client.off(event, listener);
			resolve(value);
		};
		client.on(event, listener);
	});
}
