export { startFakeDiscord } from './start-fake-discord.js';
export type {
	AllowedMentionsBody,
	FakeChannel,
	FakeDiscord,
	FakeInteraction,
	FakeUser,
	GatewayLogEntry,
	InjectedFailure,
	MessageRateLimitOptions,
	Pings,
	RecordedFile,
	RecordedRequest,
	StartFakeDiscordOptions,
	StoredAttachment,
	StoredMessage,
} from './types.js';
