export { startFakeDiscord } from './start-fake-discord.js';
export { startFakeCdn, type FakeCdnFile, type FakeCdnServer } from './fake-cdn-server.js';
export { attachmentOption } from './slash-attachments.js';
export type { CdnRequest, FakeAttachmentInput, FakeCdn, StoredAttachment } from './attachment-types.js';
export type {
	AllowedMentionsBody,
	BotPermissionLoss,
	FakeChannel,
	FakeDiscord,
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
	SlashOptions,
	StartFakeDiscordOptions,
	StoredMessage,
	UserMessageOptions,
} from './types.js';
