import type { Client } from 'discord.js';
import { Status } from 'discord.js';

/**
 * Whether the client is logged in and every shard's socket is up. `client.ws.status` alone is not enough: discord.js
 * 14 sets it to Ready on the first READY and never back, while each shard's status follows its socket (Connecting
 * after a drop, Resuming, then Ready again).
 */
export function isGatewayConnected(client: Client): boolean {
	const { shards } = client.ws;
	return client.isReady() && shards.size > 0 && shards.every((shard) => shard.status === Status.Ready);
}
