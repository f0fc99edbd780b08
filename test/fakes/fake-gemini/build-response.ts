import { contentPartsOf, joinTextParts, toolMetadataOf } from './tool-output.js';
import type { GeminiCodeExecution, GeminiGrounding, GeminiUrlContext } from './tool-types.js';
import type { GeminiImage, GeminiUsage } from './types.js';

export type JsonObject = Record<string, unknown>;

/** What gemini-2.5-flash-image bills per output image of up to 1024 px. */
const IMAGE_OUTPUT_TOKENS = 1290;

/** What stays the same across all chunks of one response. */
export type ResponseContext = {
	model: string;
	responseId: string;
	promptTokenCount: number;
};

export type ReplyPlan = {
	chunks: readonly string[];
	/** undefined: no chunk carries a finishReason (and no candidatesTokenCount is reported). */
	finishReason: string | undefined;
	thought?: string | undefined;
	/** After the text, one `inlineData` part each (on streams, one chunk each). */
	images?: readonly GeminiImage[] | undefined;
	usage?: GeminiUsage | undefined;
	/** Spliced in between the text chunks (on streams, one chunk per part). */
	code?: readonly GeminiCodeExecution[] | undefined;
	/** On the last chunk's candidate, with the finishReason. */
	grounding?: GeminiGrounding | undefined;
	urlContext?: readonly GeminiUrlContext[] | undefined;
};

/** Google's rule of thumb: about 4 characters per token. */
export function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

/** One full GenerateContentResponse per chunk, with running-total usage and finishReason on the last one. */
export function buildStreamChunks(context: ResponseContext, plan: ReplyPlan): JsonObject[] {
	const usage = usageCalculator(context, plan);
	const events: JsonObject[] = [];
	if (plan.thought !== undefined) {
		events.push(response(context, candidate([{ text: plan.thought, thought: true }]), usage(false, false)));
	}
	const contentParts = [...contentPartsOf(plan.chunks, plan.code), ...(plan.images ?? []).map(inlineDataPart)];
	const metadata = toolMetadataOf(plan.grounding, plan.urlContext);
	contentParts.forEach((part, index) => {
		const isLast = index === contentParts.length - 1;
		const finishReason = isLast ? plan.finishReason : undefined;
		const json = candidate([part], finishReason, isLast ? metadata : {});
		events.push(response(context, json, usage(true, finishReason !== undefined)));
	});
	if (contentParts.length === 0 && plan.finishReason !== undefined) {
		events.push(response(context, candidate([], plan.finishReason, metadata), usage(true, true)));
	}
	return events;
}

/** The unary (`:generateContent`) form: one response holding the whole text. */
export function buildUnaryResponse(context: ResponseContext, plan: ReplyPlan): JsonObject {
	const usage = usageCalculator(context, plan);
	const parts: JsonObject[] = plan.thought === undefined ? [] : [{ text: plan.thought, thought: true }];
	parts.push(...joinTextParts(contentPartsOf(plan.chunks, plan.code)));
	parts.push(...(plan.images ?? []).map(inlineDataPart));
	const metadata = toolMetadataOf(plan.grounding, plan.urlContext);
	return response(context, candidate(parts, plan.finishReason, metadata), usage(true, plan.finishReason !== undefined));
}

export function buildBlockedResponse(context: ResponseContext, blockReason: string): JsonObject {
	const safetyRatings =
		blockReason === 'SAFETY'
			? [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }]
			: undefined;
	return {
		promptFeedback: { blockReason, ...(safetyRatings === undefined ? {} : { safetyRatings }) },
		usageMetadata: promptUsage(context.promptTokenCount),
		modelVersion: context.model,
		responseId: context.responseId,
	};
}

function inlineDataPart(image: GeminiImage): JsonObject {
	return { inlineData: { mimeType: image.mimeType, data: image.data.toString('base64') } };
}

function response(context: ResponseContext, candidateJson: JsonObject, usageMetadata: JsonObject): JsonObject {
	return { candidates: [candidateJson], usageMetadata, modelVersion: context.model, responseId: context.responseId };
}

/** No parts means no `content` at all, as the real API does for e.g. a SAFETY stop with nothing to show. */
function candidate(parts: JsonObject[], finishReason?: string, metadata: JsonObject = {}): JsonObject {
	const json: JsonObject = parts.length > 0 ? { content: { parts, role: 'model' } } : {};
	if (finishReason !== undefined) json.finishReason = finishReason;
	if (finishReason === 'SAFETY') {
		json.safetyRatings = [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }];
	}
	Object.assign(json, metadata);
	json.index = 0;
	return json;
}

function promptUsage(promptTokenCount: number): JsonObject {
	return {
		promptTokenCount,
		totalTokenCount: promptTokenCount,
		promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
	};
}

/** Running totals: thoughts appear once thinking is done, candidates only on the final chunk. */
function usageCalculator(context: ResponseContext, plan: ReplyPlan) {
	const prompt = plan.usage?.promptTokenCount ?? context.promptTokenCount;
	const thoughts =
		plan.usage?.thoughtsTokenCount ?? (plan.thought === undefined ? undefined : estimateTokens(plan.thought));
	const cached = plan.usage?.cachedContentTokenCount;
	// The model writes the code; the execution result comes from the sandbox, not from the model.
	const generated = [...plan.chunks, ...(plan.code ?? []).map((run) => run.code)].join('');
	const candidates =
		plan.usage?.candidatesTokenCount ?? estimateTokens(generated) + (plan.images?.length ?? 0) * IMAGE_OUTPUT_TOKENS;
	return (thinkingDone: boolean, final: boolean): JsonObject => {
		const usage = promptUsage(prompt);
		if (cached !== undefined) usage.cachedContentTokenCount = cached;
		const thoughtTokens = thinkingDone ? (thoughts ?? 0) : 0;
		if (final) usage.candidatesTokenCount = candidates;
		if (thinkingDone && thoughts !== undefined) usage.thoughtsTokenCount = thoughts;
		usage.totalTokenCount = prompt + thoughtTokens + (final ? candidates : 0);
		return usage;
	};
}
