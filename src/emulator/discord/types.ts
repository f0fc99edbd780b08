// Over 250 lines on purpose: the emulator's public API in one place (the FakeDiscord type and what it hands out),
// declarations and their documentation only, so that tests and the sandbox read one contract.
import type { FakeAttachmentInput, FakeCdn, StoredAttachment } from './attachment-types.js';

/** allowed_mentions as it arrives on the wire (strings, not discord-api-types enums). */
export type AllowedMentionsBody = { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };

export type FakeUser = { id: string; username: string; globalName: string | null; bot: boolean };

export type StoredMessage = {
	id: string;
	channelId: string;
	author: FakeUser;
	content: string;
	/** Every content version in order: [initial, edit1, edit2, ...]. */
	versions: string[];
	/** allowed_mentions as received on the create and on each edit (undefined when omitted), parallel to `versions`. */
	allowedMentions: (AllowedMentionsBody | undefined)[];
	components: unknown[];
	embeds: unknown[];
	attachments: StoredAttachment[];
	messageReference: { messageId: string; channelId: string } | undefined;
	/** Discord message type: 0 default, 19 reply, 20 chat input command response. */
	type: number;
	flags: number;
	createdAt: number;
	editedAt: number | undefined;
	deleted: boolean;
	interactionToken?: string;
};

/** `type` 0 = role (the @everyone role's id is the guild id), 1 = member. */
export type PermissionOverwrite = { id: string; type: 0 | 1; allow: bigint; deny: bigint };

/** Omitted bits default to none; an overwrite that allows and denies nothing is removed. */
export type PermissionOverwriteInput = { id: string; type: 0 | 1; allow?: bigint; deny?: bigint };

export type FakeChannel = {
	id: string;
	/** The guild it is in (a thread: its parent's). */
	guildId: string;
	type: number;
	name: string;
	parentId: string | undefined;
	ownerId: string | undefined;
	messages: StoredMessage[];
	archived: boolean;
	locked: boolean;
	/** Always empty on threads, which use their parent's. */
	permissionOverwrites: PermissionOverwrite[];
};

export type FakeInteraction = {
	id: string;
	token: string;
	/** 2 = application command, 3 = message component. */
	type: number;
	channelId: string;
	user: FakeUser;
	callbacks: { type: number; data: unknown; at: number }[];
	deferred: boolean;
	ephemeral: boolean;
	original: StoredMessage | undefined;
	followups: StoredMessage[];
	acknowledgedAt: number | undefined;
	dispatchedAt: number;
	/** The message a component interaction was triggered on. */
	message: StoredMessage | undefined;
	commandName: string | undefined;
	/** The attachments a slash command carried in `data.resolved.attachments`. */
	attachments: StoredAttachment[];
};

export type RecordedFile = { field: string; filename: string; contentType: string | undefined; size: number };

export type RecordedRequest = {
	method: string;
	/** Path after `/api/v10`, percent-decoded, without the query string. */
	path: string;
	/** Route template such as `/channels/:channelId/messages`, or `(unknown)`. */
	route: string;
	query: Record<string, string>;
	/** Parsed JSON body (`payload_json` for multipart requests), undefined when empty. */
	body: unknown;
	files: RecordedFile[];
	authorized: boolean;
	status: number;
	at: number;
};

export type GatewayLogEntry = {
	direction: 'in' | 'out';
	payload: unknown;
	at: number;
	/** The gateway connection (socket) it went over, numbered 1, 2, … in the order they opened. */
	connection: number;
	/** The shard of the session on that connection: undefined before IDENTIFY or RESUME (so for HELLO). */
	shard: number | undefined;
	shardCount: number | undefined;
};

/** An open gateway socket; `shard` and `sessionId` are undefined until it identifies or resumes. */
export type FakeGatewayConnection = {
	connection: number;
	sessionId: string | undefined;
	/** `[shard_id, num_shards]` as identified (`[0, 1]` when IDENTIFY had no `shard`). */
	shard: [number, number] | undefined;
};

/** The four users every guild starts with (unless `AddGuildOptions.standardUsers` is false). */
export type StandardUsers = { alice: FakeUser; bob: FakeUser; moderator: FakeUser; otherBot: FakeUser };

/** A guild the bot is in, with the means to fill it; channels and threads in it work with every channel method. */
export type FakeGuildHandle = {
	readonly id: string;
	readonly guild: { id: string; name: string };
	/** `#general` (or `AddGuildOptions.channelName`), created with the guild. */
	readonly textChannel: FakeChannel;
	/**
	 * The same four users in every guild (users are global on Discord), members here unless the guild was added with
	 * `standardUsers: false`; `moderator` has a role with MANAGE_CHANNELS in each guild.
	 */
	readonly users: StandardUsers;
	/** `(BigInt(id) >> 22n) % shardCount`: the shard that receives this guild's events. */
	shardOf(shardCount: number): number;
	/** Dispatches CHANNEL_CREATE (to the guild's shard). */
	addTextChannel(name: string): FakeChannel;
	addForumChannel(name: string): FakeChannel;
	/** A new user who is a member of this guild only; `permissions` creates a role for them (GUILD_ROLE_CREATE). */
	addUser(user: { username: string; globalName?: string; bot?: boolean; permissions?: bigint }): FakeUser;
	/** An existing user joins this guild (no GUILD_MEMBER_ADD: the fake's clients lack the GuildMembers intent). */
	addMember(user: FakeUser, options?: { permissions?: bigint }): void;
	isMember(userId: string): boolean;
	/** Its text and forum channels and threads, in order of creation. */
	readonly channels: FakeChannel[];
};

/** `shard`/`of` mint the guild id so that the guild lands on shard `shard` of `of` shards. */
export type AddGuildOptions = {
	/** @default 'Fake Guild N' */
	name?: string;
	/** @default 'general' */
	channelName?: string;
	/** alice, bob, moderator and otherBot join it. @default true */
	standardUsers?: boolean;
} & ({ shard?: undefined; of?: undefined } | { shard: number; of: number });

/** What `GET /gateway/bot` reports in `session_start_limit` (`resetAfterMs` is `reset_after`). */
export type SessionStartLimit = { total: number; remaining: number; resetAfterMs: number; maxConcurrency: number };

export type MessageRateLimitOptions = { limit: number; windowMs: number; advertise: boolean };

/**
 * One fixed window for the whole bot. `advertise` (default true) marks the 429 with `X-RateLimit-Global` and
 * `X-RateLimit-Scope: global`; `false` leaves only `Retry-After`, so discord.js pauses just the route that hit it.
 */
export type GlobalRateLimitOptions = { limit: number; windowMs: number; advertise?: boolean };

/** `send`: no SEND_MESSAGES (or thread creation); `view`: no VIEW_CHANNEL, which also hides the channel's threads. */
export type BotPermissionLoss = 'send' | 'view';

export type InjectedFailure = { status: number; code: number; message: string };

export type Pings = { everyone: boolean; users: string[]; roles: string[] };

export type StartFakeDiscordOptions = {
	/** @default 'fake-bot-token' */
	token?: string;
	/** `shards` of `GET /gateway/bot`, which `shards: 'auto'` spawns. @default 1 */
	recommendedShards?: number;
	/**
	 * `session_start_limit.max_concurrency`. @discordjs/ws waits 5 s (+ up to 1.5 s) between IDENTIFYs of one bucket
	 * (`shard_id % max_concurrency`) of a client, so give at least the shard count to log several shards in quickly.
	 * @default 1
	 */
	maxConcurrency?: number;
	/** Enforce Discord's spacing of IDENTIFYs per bucket (op 9 when closer; Discord's is 5000). @default 0 (off) */
	identifySpacingMs?: number;
	/** The bot is in too many guilds for fewer shards: an IDENTIFY with fewer is closed with 4011. */
	requireSharding?: number;
	/** Mint the first guild's id on this shard (the default is an id of now, on whatever shard that is). */
	guildShard?: { shard: number; of: number };
	/** @default 41250 */
	heartbeatIntervalMs?: number;
	/** The first guild's name. @default 'Fake Guild' */
	guildName?: string;
	/**
	 * Keep only about this many of the newest `requests` and `gatewayLog` entries (between it and twice it), for an
	 * emulator that runs for hours; by default every one is kept, as tests read them.
	 */
	keepRecords?: number;
	/** More text channels of the first guild, after #general. */
	channels?: readonly string[];
	/**
	 * Mint what exists at start (the bot, the standard users and their roles, the first guild and its channels) at
	 * this time (ms), so that every run with the same options has the same ids; everything later is of the real clock.
	 */
	foundedAt?: number;
	/** How long after dispatch an interaction may first be acknowledged. @default 3000 */
	interactionDeadlineMs?: number;
};

export type UserMessageOptions = {
	replyTo?: string;
	attachments?: FakeAttachmentInput[];
	/** Sets IS_VOICE_MESSAGE (1 << 13); Discord sends such messages with empty content and one audio/ogg file. */
	voiceMessage?: boolean;
};

export type SlashOptions = {
	name: string;
	/** Wire format; a type 11 option whose `value` is a number n refers to `attachments[n]` (see `attachmentOption`). */
	options?: unknown[];
	channelId: string;
	user: FakeUser;
	permissions?: bigint;
	/** Uploaded with the command: listed in `data.resolved.attachments` under fresh ids. */
	attachments?: FakeAttachmentInput[];
};

export type FakeDiscord = {
	/** `http://127.0.0.1:PORT/api`, for `new Client({ rest: { api } })`. */
	readonly apiBase: string;
	readonly token: string;
	/** The bot user; the application id equals its id. */
	readonly bot: FakeUser;
	readonly applicationId: string;
	/** The first guild (`guilds[0]`). */
	readonly guild: { id: string; name: string };
	/** `#general` of the first guild, created at start. */
	readonly textChannel: FakeChannel;
	/** `moderator` has MANAGE_CHANNELS; `otherBot.bot` is true. */
	readonly users: StandardUsers;
	/** Dispatches CHANNEL_CREATE to connected clients (first guild; see `FakeGuildHandle` for the others). */
	addTextChannel(name: string): FakeChannel;
	addForumChannel(name: string): FakeChannel;
	/** A member of the first guild; `permissions` creates a role for them (GUILD_ROLE_CREATE). */
	addUser(user: { username: string; globalName?: string; bot?: boolean; permissions?: bigint }): FakeUser;
	/** Every guild the bot is in, the first guild first. */
	readonly guilds: readonly FakeGuildHandle[];
	/**
	 * The bot joins a new guild with its own #general, roles and members (the standard users by default); connected
	 * sessions of its shard get GUILD_CREATE. `{ shard, of }` picks the shard the guild lands on for `of` shards.
	 */
	addGuild(options?: AddGuildOptions): FakeGuildHandle;
	/** The handle of a guild, or of the guild a channel or thread is in. */
	guildHandle(id: { guildId: string } | { channelId: string }): FakeGuildHandle | undefined;
	/** `(BigInt(guildId) >> 22n) % shardCount`. */
	shardOf(guildId: string, shardCount: number): number;
	/** `shards` of `GET /gateway/bot` from now on (discord.js caches the answer per client). */
	setRecommendedShards(count: number): void;
	/** Changes part of `session_start_limit` of `GET /gateway/bot`. */
	setSessionStartLimit(limit: Partial<SessionStartLimit>): void;
	readonly sessionStartLimit: SessionStartLimit;
	/** While set, an IDENTIFY with fewer than `minShards` shards is closed with 4011 "Sharding required."; undefined: off. */
	requireSharding(minShards: number | undefined): void;
	/** The open gateway sockets, oldest first. */
	readonly gatewayConnections: readonly FakeGatewayConnection[];
	/** Drops the sockets of every session of shard `shardId` (close 1006; they stay resumable); returns how many. */
	dropShard(shardId: number): number;
	/** Stores and dispatches MESSAGE_CREATE from a user; `<@id>` in content become `mentions` (with `member`). */
	userSays(channelId: string, author: FakeUser, content: string, options?: UserMessageOptions): Promise<StoredMessage>;
	/** A user-created thread (THREAD_CREATE); with `starterMessageId` the thread id is that message's id. */
	createThread(options: {
		parentId: string;
		name: string;
		owner: FakeUser;
		type?: 11 | 12;
		starterMessageId?: string;
	}): Promise<FakeChannel>;
	/** History without dispatches; ids/timestamps increase in order, `at` (ms) overrides and the snowflake agrees. */
	seedMessages(channelId: string, messages: { author: FakeUser; content: string; at?: number }[]): StoredMessage[];
	/** Dispatches INTERACTION_CREATE (chat input); options in wire format; user/channel/role options get `resolved`. */
	slash(options: SlashOptions): Promise<FakeInteraction>;
	/** Dispatches a button interaction on a message that has a component with that custom_id. */
	clickButton(options: {
		messageId: string;
		channelId: string;
		customId: string;
		user: FakeUser;
	}): Promise<FakeInteraction>;
	/** Attachment downloads: what was requested, and knobs for expired links, redirects and slow bodies. */
	readonly cdn: FakeCdn;
	/**
	 * Sends a raw dispatch (op 0) like Discord routes it: with a `guild_id` (the `id` of GUILD_CREATE, GUILD_UPDATE and
	 * GUILD_DELETE) to every session of that guild's shard, without one to every session of shard 0 (as DMs go);
	 * `options.shard` sends it to the sessions of that shard instead.
	 */
	dispatch(event: string, data: unknown, options?: { shard?: number }): void;
	channel(id: string): FakeChannel | undefined;
	/** Every channel and thread of every guild, in order of creation (deleted threads are gone). */
	readonly channels: readonly FakeChannel[];
	/** The first guild's roles, @everyone (whose id is the guild id) first. */
	readonly roles: readonly { readonly id: string; readonly name: string }[];
	/** Every interaction dispatched so far, oldest first. */
	readonly interactions: readonly FakeInteraction[];
	/** The interaction a response or followup message answers (ephemeral ones are seen by its user only). */
	interactionOf(message: StoredMessage): FakeInteraction | undefined;
	/** Any attachment a member or the bot uploaded, by id. */
	attachment(id: string): StoredAttachment | undefined;
	/** Called after every REST request and gateway payload; returns the unsubscribe. */
	onChange(listener: () => void): () => void;
	/** Oldest → newest, excluding deleted and ephemeral messages. */
	messagesIn(channelId: string): StoredMessage[];
	readonly threads: FakeChannel[];
	readonly commands: { global: unknown[]; guild: Map<string, unknown[]>; putCount: number };
	readonly requests: readonly RecordedRequest[];
	readonly unexpectedRequests: readonly RecordedRequest[];
	/** `in` = received from a client, `out` = sent by the fake; each names its connection and shard. */
	readonly gatewayLog: readonly GatewayLogEntry[];
	/** Who a message version notifies (default: the latest); absent allowed_mentions parses everything. */
	pingsOf(message: StoredMessage, versionIndex?: number): Pings;
	/**
	 * Re-checks after every REST request and gateway payload (and every 20 ms); rejects after `timeoutMs` (5000). An
	 * asynchronous check runs one evaluation at a time.
	 */
	waitFor<T>(
		check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
		options?: { timeoutMs?: number; description?: string },
	): Promise<T>;
	/**
	 * Per-channel fixed windows, one bucket for creates and one for edits (distinct `X-RateLimit-Bucket`s, so
	 * discord.js tracks each accurately). Default `{ limit: 5, windowMs: 5000, advertise: true }`; `advertise: false`
	 * sends no headers on 2xx, only a 429 with `Retry-After`; `undefined` turns limiting off.
	 */
	setMessageRateLimit(options: MessageRateLimitOptions | undefined): void;
	/** The next request whose method matches and whose path (after `/api/v10`) matches `path` gets this error. */
	failNext(match: { method: string; path: RegExp }, error: InjectedFailure): void;
	/** One bot-wide window for bot-token requests (callbacks, `/webhooks` exempt); over it → global 429. Default off. */
	setGlobalRateLimit(options: GlobalRateLimitOptions | undefined): void;
	/** `served429` counts every 429 served, `served429Global` only those of the global limit. */
	readonly stats: { served429: number; served429Global: number; restRequests: number };
	/** Bot requests there get 403: `send` → 50013 on posts, edits, typing, new threads; `view` → 50001 on all. */
	revokeBotPermission(channelId: string, kind: BotPermissionLoss): void;
	/** Undoes `revokeBotPermission` for that channel. */
	restoreBotPermission(channelId: string): void;
	/**
	 * Adds, replaces (same id) or, with allow and deny both 0n, removes an overwrite on a text or forum channel, then
	 * dispatches CHANNEL_UPDATE. Interaction permissions and `userSays` follow it. Throws for a thread (threads use
	 * their parent's) and for an unknown role or member.
	 */
	setPermissionOverwrite(channelId: string, overwrite: PermissionOverwriteInput): void;
	/**
	 * Most message create/edit requests (channel routes, interaction replies/updates, followups and webhook edits)
	 * aimed at one channel within any `windowMs`; requests answered with 429 are not counted.
	 */
	maxMessageWritesInWindow(channelId: string, windowMs: number): number;
	/** Drops every gateway socket (close 1006); sessions stay resumable and buffer events until RESUME. */
	disconnectClients(): void;
	/** While on, IDENTIFY gets close 4004 "Authentication failed." even with the right token; REST still works. */
	rejectGatewayIdentify(reject: boolean): void;
	/** A user edits their message: new version, `editedAt`, and MESSAGE_UPDATE with `edited_timestamp`. */
	userEdits(messageId: string, content: string): StoredMessage;
	/** A user or moderator deletes a message: MESSAGE_DELETE `{ id, channel_id, guild_id }`. */
	userDeletes(messageId: string): void;
	/** A moderator deletes a thread: it is gone, THREAD_DELETE `{ id, guild_id, parent_id, type }`. */
	deleteThread(threadId: string): void;
	/** A moderator (or auto-archive) archives a thread, optionally locking it: THREAD_UPDATE. */
	archiveThread(threadId: string, options?: { locked?: boolean }): void;
	close(): Promise<void>;
};
