import { afterFailure } from '../chat/after-failure.js';
import { describeOutcome } from '../chat/describe-outcome.js';
import type { GeneratedImage, ImageModel, ImageResult } from '../llm/image-model.js';
import { toModelError } from '../llm/model-error.js';
import type { ModelQueue } from '../llm/model-queue.js';
import type { Logger } from '../log/logger.js';
import type { ModelTurnStatus } from '../domain/turn.js';
import type { TokenUsage } from '../domain/token-usage.js';
import { NO_USAGE } from '../domain/token-usage.js';
import type { UsageCharge } from '../access/budget-ledger.js';
import { addUsage } from './add-usage.js';

export type DrawDeps = {
	readonly imageModel: ImageModel;
	readonly queue: ModelQueue;
	readonly logger: Logger;
	readonly maxAttempts: number;
	readonly random?: () => number;
};

export type DrawCall = {
	/** GEMINI_IMAGE_MODEL. */
	readonly model: string;
	readonly member: string;
	readonly prompt: string;
	/** The picture to edit, if any. */
	readonly image?: { readonly mimeType: string; readonly data: Buffer } | undefined;
	/** The model call started (it no longer waits in the queue). */
	readonly onStarted?: (() => void) | undefined;
	/** The daily budgets (see GenerateCall.charge); without it, nothing is charged. */
	readonly charge?: UsageCharge | undefined;
};

export type DrawOutcome = {
	readonly text: string;
	readonly images: readonly GeneratedImage[];
	/** Why there is no picture (or an odd one), for the member. */
	readonly note: string | undefined;
	readonly status: ModelTurnStatus;
	readonly errorCode: string | undefined;
	readonly usage: TokenUsage;
};

// Finish reasons that mean Gemini chose not to draw this prompt.
const REFUSALS = new Set([
	'SAFETY',
	'IMAGE_SAFETY',
	'PROHIBITED_CONTENT',
	'IMAGE_PROHIBITED_CONTENT',
	'RECITATION',
	'BLOCKLIST',
]);
// A short prompt (and a picture to change, when there is one); Gemini counts 1,290 output tokens per picture.
const PROMPT_TOKENS = 300;
const ESTIMATED_TOKENS = PROMPT_TOKENS + 1_290;
const NO_PICTURE =
	'Gemini did not send a picture this time, only words. Try describing the picture you want more plainly.';

/**
 * Draws (or edits) a picture through the queue. Image models sometimes answer with text or thoughts only: such an
 * answer is asked again once with pictures only, and if it still has none the member gets the text and a note.
 * 429s and outages are retried like replies; a refusal is reported, never retried.
 */
export async function drawImage(deps: DrawDeps, call: DrawCall, signal: AbortSignal): Promise<DrawOutcome> {
	const reservation = await call.charge?.(ESTIMATED_TOKENS);
	if (reservation && 'refused' in reservation) {
		return { text: '', images: [], note: reservation.refused, status: 'error', errorCode: 'budget', usage: NO_USAGE };
	}
	let outcome: DrawOutcome | undefined;
	try {
		outcome = await draw(deps, call, signal);
		return outcome;
	} finally {
		await reservation?.settle(outcome?.usage ?? NO_USAGE, call.model);
	}
}

async function draw(deps: DrawDeps, call: DrawCall, signal: AbortSignal): Promise<DrawOutcome> {
	const parts = [{ text: call.prompt }, ...(call.image ? [{ inlineData: call.image }] : [])];
	let modalities: ('TEXT' | 'IMAGE')[] = ['TEXT', 'IMAGE'];
	let usage = NO_USAGE;
	for (let attempt = 1; ; attempt += 1) {
		let result: ImageResult;
		try {
			const queued = deps.queue.run(
				{ member: call.member, models: [call.model], estimatedTokens: PROMPT_TOKENS, signal },
				(model) => {
					call.onStarted?.();
					return deps.imageModel.generate({ model, parts, responseModalities: modalities, signal });
				},
			);
			result = await queued.result;
		} catch (error) {
			const failure = toModelError(error, signal);
			const step = afterFailure(deps, {
				error: failure,
				model: call.model,
				models: [call.model],
				attempt,
				textShown: false,
			});
			deps.logger.warn({ err: failure, kind: failure.kind, attempt, retry: step.retry }, 'image call failed');
			if (step.retry && (step.waitMs === 0 || (await pause(step.waitMs, signal)))) continue;
			const described = describeOutcome('', failure);
			return { text: '', images: [], note: described.note, status: 'error', errorCode: described.errorCode, usage };
		}
		usage = addUsage(usage, result.usage);
		if (result.images.length > 0) {
			return {
				text: result.text,
				images: result.images,
				note: undefined,
				status: 'complete',
				errorCode: undefined,
				usage,
			};
		}
		const refusal = result.blockReason ?? (REFUSALS.has(result.finishReason ?? '') ? result.finishReason : undefined);
		if (refusal !== undefined) {
			const note = `Gemini would not draw this (${refusal}). Try a different prompt.`;
			return { text: result.text, images: [], note, status: 'error', errorCode: `blocked:${refusal}`, usage };
		}
		if (modalities.length === 2) {
			modalities = ['IMAGE'];
			continue;
		}
		return { text: result.text, images: [], note: NO_PICTURE, status: 'error', errorCode: 'no-image', usage };
	}
}

function pause(ms: number, signal: AbortSignal): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			resolve(true);
		}, ms);
		signal.addEventListener(
			'abort',
			() => {
				clearTimeout(timer);
				resolve(false);
			},
			{ once: true },
		);
	});
}
