import type { KeyedLock } from '../concurrency/keyed-lock.js';
import type { AccessGate } from '../access/access-gate.js';
import type { BudgetLedger } from '../access/budget-ledger.js';
import type { MemberCap } from '../access/member-cap.js';
import type { ForgetStore } from '../store/ports/forget-store.js';
import type { ForgetConfirmations } from './forget-confirmations.js';
import type {
	ButtonInteraction,
	ChatInputCommandInteraction,
	RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ActiveReplies } from '../chat/active-replies.js';
import type { Generate } from '../chat/generate-reply.js';
import type { Responder } from '../chat/respond.js';
import type { Config } from '../config/config.js';
import type { AttachFilesDeps } from '../discord/reading/attach-files.js';
import type { DrawCall, DrawOutcome } from '../images/draw-image.js';
import type { PermissionNotices } from '../discord/client/permission-notices.js';
import type { WriteBudget } from '../reply/write-budget.js';
import type { Logger } from '../log/logger.js';
import type { AttachmentStore } from '../store/ports/attachment-store.js';
import type { PersonaStore } from '../store/ports/persona-store.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { SettingsLookup } from '../settings/settings-lookup.js';
import type { ModelSettingsStore } from '../store/ports/model-settings-store.js';
import type { SettingsStore } from '../store/ports/settings-store.js';
import type { ThreadSummaryStore } from '../store/ports/thread-summary-store.js';
import type { UsageStore } from '../store/ports/usage-store.js';

/** What commands may use; built once in the composition root. */
export type CommandDeps = {
	readonly config: Config;
	readonly logger: Logger;
	readonly sessions: SessionStore;
	readonly personas: PersonaStore;
	readonly settings: SettingsStore;
	/** /settings values per channel or thread. */
	readonly modelSettings: ModelSettingsStore;
	/** The settings in effect in a thread or channel: (threadId, channelId); a channel passes its id twice. */
	readonly settingsFor: SettingsLookup;
	readonly usage: UsageStore;
	/** /settings enabled and role, and the daily token budgets, for commands that call the model. */
	readonly access: AccessGate;
	/** The daily budgets each model call reserves against and is charged to. */
	readonly budgets: BudgetLedger;
	/** GEMINI_USER_QUEUE_MAX, shared with messages: calls a member has waiting. */
	readonly cap: MemberCap;
	/** Members with a /summarize running (one each at a time); an entry goes when its summary ends. */
	readonly summarizing: Set<string>;
	/** Long threads' rolling summaries: /reset and /rewind drop them, /export includes them. */
	readonly summaries: ThreadSummaryStore;
	readonly attachments: AttachmentStore;
	/** /forget: deletes a thread's stored conversation. */
	readonly forget: ForgetStore;
	readonly forgetConfirmations: ForgetConfirmations;
	readonly activeReplies: ActiveReplies;
	/** Answers a stored user turn in its thread, like a message would be (queued per thread). */
	readonly responder: Responder;
	/** The message intake's lock (see discord/on-message): /chat stores its prompt under it. */
	readonly intake: KeyedLock;
	/** One model call through the queue, with retries and fallbacks, streamed into `target`. */
	readonly generate: Generate;
	/** The model a channel (or a thread, through its parent) uses. */
	readonly modelFor: (channelId: string) => Promise<string>;
	/** Whether a model is Gemini's (its tools and thinking budgets do not exist elsewhere). */
	readonly isGemini: (model: string) => boolean;
	/** That model, then the fallbacks (FALLBACK_MODELS). */
	readonly modelsFor: (channelId: string) => Promise<readonly string[]>;
	/** Tells a thread's parent channel, once, that the bot may no longer post in the thread. */
	readonly notices: PermissionNotices;
	/** Discord's write limits, shared with every reply. */
	readonly budget: WriteBudget;
	/** Where members' files are downloaded from and stored. */
	readonly files: AttachFilesDeps;
	/** Draws (or edits) a picture through the queue, with GEMINI_IMAGE_RPM. */
	readonly draw: ((call: DrawCall) => Promise<DrawOutcome>) | undefined;
};

export type GuildCommandInteraction = ChatInputCommandInteraction<'cached'>;

/** A slash command: its definition, sent to Discord as is, and what it does. */
export type Command = {
	readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
	/**
	 * Whether the reply is visible only to the member who used the command. Every command is deferred before
	 * `execute` runs, so it is always acknowledged within Discord's 3 seconds. @default true
	 */
	readonly ephemeral?: (interaction: GuildCommandInteraction) => boolean;
	execute(interaction: GuildCommandInteraction, deps: CommandDeps): Promise<void>;
};

/** A handler for buttons whose custom id starts with `prefix`; it acknowledges the interaction itself. */
export type ButtonHandler = {
	readonly prefix: string;
	execute(interaction: ButtonInteraction<'cached'>, deps: CommandDeps): Promise<void>;
};
