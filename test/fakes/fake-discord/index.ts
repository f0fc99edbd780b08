export { startFakeDiscord } from './start-fake-discord.js';
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
	Pings,
	RecordedFile,
	RecordedRequest,
	StartFakeDiscordOptions,
	StoredAttachment,
	StoredMessage,
} from './types.js';
