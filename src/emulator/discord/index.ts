export { startFakeDiscord } from './start-fake-discord.js';
export { startFakeCdn, type FakeCdnFile, type FakeCdnServer } from './fake-cdn-server.js';
export { attachmentOption } from './slash-attachments.js';
export { shardOf, snowflakeOnShard } from './snowflake.js';
export type { CdnRequest, FakeAttachmentInput, FakeCdn, StoredAttachment } from './attachment-types.js';
export type {
	AddGuildOptions,
	AllowedMentionsBody,
	BotPermissionLoss,
	FakeChannel,
	FakeDiscord,
	FakeGatewayConnection,
	FakeGuildHandle,
	FakeInteraction,
	FakeUser,
	GatewayLogEntry,
	GlobalRateLimitOptions,
	InjectedFailure,
	MessageRateLimitOptions,
	PermissionOverwrite,
	PermissionOverwriteInput,
	Pings,
	RecordedFile,
	RecordedRequest,
	SessionStartLimit,
	SlashOptions,
	StandardUsers,
	StartFakeDiscordOptions,
	StoredMessage,
	UserMessageOptions,
} from './types.js';
