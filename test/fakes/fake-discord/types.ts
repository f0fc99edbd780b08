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

export type GatewayLogEntry = { direction: 'in' | 'out'; payload: unknown; at: number };

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
	/** @default 41250 */
	heartbeatIntervalMs?: number;
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
	readonly guild: { id: string; name: string };
	/** `#general`, created at start. */
	readonly textChannel: FakeChannel;
	/** `moderator` has MANAGE_CHANNELS; `otherBot.bot` is true. */
	readonly users: { alice: FakeUser; bob: FakeUser; moderator: FakeUser; otherBot: FakeUser };
	/** Dispatches CHANNEL_CREATE to connected clients. */
	addTextChannel(name: string): FakeChannel;
	addForumChannel(name: string): FakeChannel;
	/** A guild member; `permissions` creates a role for them (GUILD_ROLE_CREATE). */
	addUser(user: { username: string; globalName?: string; bot?: boolean; permissions?: bigint }): FakeUser;
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
	/** Sends a raw dispatch (op 0) to every connected session. */
	dispatch(event: string, data: unknown): void;
	channel(id: string): FakeChannel | undefined;
	/** Oldest → newest, excluding deleted and ephemeral messages. */
	messagesIn(channelId: string): StoredMessage[];
	readonly threads: FakeChannel[];
	readonly commands: { global: unknown[]; guild: Map<string, unknown[]>; putCount: number };
	readonly requests: readonly RecordedRequest[];
	readonly unexpectedRequests: readonly RecordedRequest[];
	/** `in` = received from a client, `out` = sent by the fake. */
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
