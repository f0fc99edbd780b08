// Just over 250 lines: a member message's way from the thread lock to its answer (the order, the cap ticket, the
// reply's start and end) is one sequence; the model call itself is generate-reply.ts.
import type { GoneReason, ReplyTarget } from '../reply/reply-target.js';
import type { Logger } from '../log/logger.js';
import { hasBotThreadName } from '../domain/bot-thread-name.js';
import type { Session } from '../domain/session.js';
import type { SessionStore } from '../store/ports/session-store.js';
import type { StoredTurn } from '../domain/turn.js';
import { NO_USAGE } from '../domain/token-usage.js';
import type { BudgetLedger } from '../access/budget-ledger.js';
import type { CapTicket } from '../access/member-cap.js';
import type { ActiveReplies } from './active-replies.js';
import type { ConversationContext } from './build-prompt.js';
import { buildContents, buildSystemInstruction } from './build-prompt.js';
import type { GenerateCall, GenerateHooks, ReplyOutcome } from './generate-reply.js';
import type { KeyedLock } from '../concurrency/keyed-lock.js';
import { ANSWER_DELETED_CODE } from './message-changes.js';
import { createReplyRecorder } from './reply-recorder.js';
import type { ContextMedia } from './turn-parts.js';
import { refusedLine } from '../attachments/refused-line.js';
import type { AttachmentKind, TurnAttachment } from '../store/ports/attachment-store.js';
import type { ThreadSummary } from '../store/ports/thread-summary-store.js';
import type { SettingsLookup } from '../settings/settings-lookup.js';
import { replyOptions } from '../settings/model-settings.js';
import type { PromptSize } from './token-estimate.js';
import { calibrate, estimateTokens, promptSize } from './token-estimate.js';

export type RespondDeps = {
	readonly store: SessionStore;
	/** The daily budgets: each reply reserves its estimate and is charged what it used. */
	readonly budgets: Pick<BudgetLedger, 'charge'>;
	readonly threadLock: KeyedLock;
	readonly activeReplies: ActiveReplies;
	readonly generate: (
		call: GenerateCall,
		target: ReplyTarget,
		signal: AbortSignal,
		hooks: GenerateHooks,
	) => Promise<ReplyOutcome>;
	/** The models a text channel (and so its threads) uses, in order of preference (fallbacks last). */
	readonly modelsFor: (channelId: string) => Promise<readonly string[]>;
	/** The moderators' persona in effect in a thread: its own, else its channel's. */
	readonly personaFor: (threadId: string, channelId: string) => Promise<string | undefined>;
	/** The /settings in effect in a thread (tools, temperature, output length, thinking, footer). */
	readonly settingsFor: SettingsLookup;
	/** Long threads' rolling summaries: read for the context, brought up to date after a reply that cut it. */
	/** A long thread's memory (memory/thread-memory): its summary, and a fold asked for when a context was cut. */
	readonly memory: {
		summaryOf(threadId: string): Promise<ThreadSummary | undefined>;
		noteCut(threadId: string, memberId: string): void;
	};
	/** Estimated prompt tokens per call, system instruction included (CONTEXT_TOKEN_BUDGET). */
	readonly contextTokenBudget: number;
	/** Where turns' files come from, and how many go inline (CONTEXT_MEDIA_TURNS). */
	readonly contextMedia: ContextMedia;
	/** Which file kinds a model reads inline. @default every kind */
	readonly accepts?: (model: string) => (kind: AttachmentKind) => boolean;
	/** True once the bot is shutting down: replies not started yet are left for the next start's catch-up. */
	readonly closing: () => boolean;
	readonly logger: Logger;
	readonly now?: () => number;
};

export type Turn = {
	/** The member's message, already stored: it is never lost, whatever happens next. */
	readonly userTurn: StoredTurn;
	readonly context: Omit<ConversationContext, 'now' | 'persona'>;
	/** Where the reply goes; opened in turn order (e.g. creating the thread), so it may be async. */
	readonly openTarget: () => Promise<ReplyTarget>;
	/** The bot's user id, the author of the model turn. */
	readonly botId: string;
	/** The reply could not be posted (deleted thread, missing permission): someone may need to know why. */
	readonly onGone?: (reason: GoneReason) => void;
	/**
	 * Downloads and stores the message's files, in turn order; resolves with the line naming files left out, if any.
	 */
	readonly attachFiles?: (signal: AbortSignal) => Promise<string | undefined>;
	/** The member's place under GEMINI_USER_QUEUE_MAX, given back once the model call starts (or the reply ends). */
	readonly ticket?: CapTicket | undefined;
};

export type Responder = {
	/**
	 * Answers a stored member turn, one turn per thread at a time in call order, unless it was answered, deleted or
	 * its thread is gone by the time its turn comes. Resolves with the stored reply, if one was made.
	 */
	respond(turn: Turn): Promise<StoredTurn | undefined>;
	/** Runs another kind of answer (a picture, say) in the thread's order, like a reply. */
	exclusive<T>(threadId: string, task: () => Promise<T>): Promise<T>;
};

export function createResponder(deps: RespondDeps): Responder {
	const now = deps.now ?? Date.now;

	async function answer(turn: Turn, onStarted: () => void): Promise<StoredTurn | undefined> {
		const { threadId, id, authorId, discordMessageId } = turn.userTurn;
		const session = await deps.store.getSession(threadId);
		const stillAsked = discordMessageId !== undefined && (await deps.store.hasDiscordMessage(discordMessageId));
		if (deps.closing() || session?.deletedAt !== undefined || !stillAsked || (await deps.store.hasFinishedAnswer(id))) {
			return undefined;
		}
		const channelId = session?.parentChannelId ?? threadId;
		const [models, persona, effective] = await Promise.all([
			deps.modelsFor(channelId),
			deps.personaFor(threadId, channelId),
			deps.settingsFor(threadId, channelId),
		]);
		const target = await turn.openTarget();
		const active = deps.activeReplies.begin(threadId, id);
		const filesNote = await turn.attachFiles?.(active.signal);
		const stored = await deps.store.findByDiscordMessage(discordMessageId);
		if (stored?.content.trim() === '' && stored.attachmentCount === 0) {
			// Only files, and none of them readable: say so instead of asking the model about nothing.
			active.end();
			return noteOnly(deps, turn, target, filesNote ?? NOTHING_READABLE, models[0] ?? '');
		}
		const settings = effective.values;
		const charactersPerToken = session?.charactersPerToken;
		// The last prompt built (a fallback model builds again): what calibration compares Gemini's count with.
		let sent: { size: PromptSize; cut: boolean } | undefined;
		const call: GenerateCall = {
			models,
			member: authorId,
			footer: filesNote,
			options: replyOptions(settings),
			showUsage: settings.footer,
			charactersPerToken,
			charge: session
				? deps.budgets.charge({ guildId: session.guildId, channelId, userId: authorId, kind: 'reply' })
				: undefined,
			build: async (model) => {
				const systemInstruction = buildSystemInstruction({ ...turn.context, persona, now: new Date(now()) });
				const summary = await deps.memory.summaryOf(threadId);
				const instructionTokens = estimateTokens(
					{ characters: systemInstruction.length, inlineFiles: 0 },
					charactersPerToken,
				);
				const built = await buildContents(deps.store.contextNewestFirst(threadId, id, summary?.throughTurnId), {
					tokenBudget: deps.contextTokenBudget - instructionTokens,
					media: { ...deps.contextMedia, accepts: deps.accepts?.(model) },
					charactersPerToken,
					summary: summary?.summary,
					threadName: membersThreadName(turn.context.threadName, session),
				});
				sent = { size: promptSize({ systemInstruction, contents: built.contents }), cut: built.cut };
				return { systemInstruction, contents: built.contents, note: unreadableLine(built.unreadable, model) };
			},
		};
		const author = {
			threadId,
			replyToId: id,
			authorId: turn.botId,
			authorName: turn.context.botName,
			model: models[0] ?? '',
		};
		const recorder = createReplyRecorder(deps.store, author, {
			onError: (error) => {
				deps.logger.warn({ err: error, threadId }, 'could not store a reply in progress');
			},
		});
		const startedAt = now();
		let outcome: ReplyOutcome;
		try {
			outcome = await deps.generate(call, target, active.signal, {
				onStarted: () => {
					active.markStarted();
					onStarted();
				},
				onWritten: recorder.written,
				...(turn.onGone ? { onGone: turn.onGone } : {}),
			});
		} finally {
			active.end();
		}
		const { status, errorCode, usage, model, location } = outcome;
		const durationMs = now() - startedAt;
		deps.logger.info({ threadId, status, errorCode, model, location, durationMs, usage }, 'reply finished');
		if (outcome.withdrawn) {
			await deps.store.withdrawTurn(id);
			return undefined;
		}
		if (sent && !outcome.usageEstimated && usage.promptTokens !== undefined) {
			const ratio = calibrate(sent.size, usage.promptTokens, charactersPerToken);
			// Only an estimate for the next reply: never a reason not to store this one.
			await deps.store.setCharactersPerToken(threadId, ratio).catch((error: unknown) => {
				deps.logger.warn({ err: error, threadId }, 'could not store the calibration');
			});
		}
		// A moderator deleted the reply while it was written: what it said goes too, its text never stored as final.
		const answerDeleted = outcome.errorCode === ANSWER_DELETED_CODE;
		const reply = await recorder.finish(answerDeleted ? { ...outcome, text: '' } : outcome);
		if (answerDeleted) await deps.store.eraseTurn(reply.id);
		if (sent?.cut === true) deps.memory.noteCut(threadId, authorId);
		return reply;
	}

	return {
		respond(turn) {
			const release = (): void => turn.ticket?.leave();
			return deps.threadLock.run(turn.userTurn.threadId, () => answer(turn, release)).finally(release);
		},
		exclusive: (threadId, task) => deps.threadLock.run(threadId, task),
	};
}

/** A thread's name is worth telling the model only when members chose it (the bot's own repeats the question). */
function membersThreadName(name: string | undefined, session: Session | undefined): string | undefined {
	return name === undefined || hasBotThreadName(session, name) ? undefined : name;
}

const KIND_NAMES: Record<AttachmentKind, string> = {
	image: 'pictures',
	pdf: 'PDFs',
	audio: 'audio',
	video: 'video',
	text: 'text files',
};

/** "-# Left out: report.pdf, ollama/llama3.2 cannot read PDFs." */
function unreadableLine(files: readonly TurnAttachment[], model: string): string | undefined {
	return refusedLine(
		files.map((file) => ({ name: file.filename, why: `${model} cannot read ${KIND_NAMES[file.kind]}` })),
	);
}

const NOTHING_READABLE = '-# I could not read anything in this message.';

/** A reply that is only a note (no model call), stored like any reply. */
async function noteOnly(
	deps: RespondDeps,
	turn: Turn,
	target: ReplyTarget,
	note: string,
	model: string,
): Promise<StoredTurn> {
	const content = `⚠️ I could not read any of the files.\n${note}`;
	const message = await target.send({ content, live: false }).catch((error: unknown) => {
		deps.logger.warn({ err: error, threadId: turn.userTurn.threadId }, 'could not post a note');
		return undefined;
	});
	const author = {
		threadId: turn.userTurn.threadId,
		replyToId: turn.userTurn.id,
		authorId: turn.botId,
		authorName: turn.context.botName,
		model,
	};
	return deps.store.appendModelTurn(author, {
		content: '',
		replyMessageIds: message ? [message.id] : [],
		status: 'error',
		finishReason: undefined,
		errorCode: 'no-readable-files',
		model,
		usage: NO_USAGE,
	});
}
