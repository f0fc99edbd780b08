import { randomBytes } from 'node:crypto';
import type { ResponseContext } from './build-response.js';
import { isRecord } from './is-record.js';
import { estimatePromptTokens } from './prompt-tokens.js';

/** A fresh responseId and a prompt token estimate from `contents` + `systemInstruction`. */
export function createResponseContext(model: string, body: unknown): ResponseContext {
	const contents = isRecord(body) ? body.contents : undefined;
	const instruction = isRecord(body) ? body.systemInstruction : undefined;
	const promptTokenCount = estimatePromptTokens(contents ?? [], instruction);
	return { model, responseId: randomBytes(17).toString('base64url'), promptTokenCount };
}
