import { randomBytes } from 'node:crypto';
import { estimateTokens } from './build-response.js';
import type { ResponseContext } from './build-response.js';
import { isRecord } from './is-record.js';

/** A fresh responseId and a prompt token estimate from the JSON of `contents` + `systemInstruction`. */
export function createResponseContext(model: string, body: unknown): ResponseContext {
	const contents = isRecord(body) ? body.contents : undefined;
	const instruction = isRecord(body) ? body.systemInstruction : undefined;
	const promptJson = JSON.stringify(contents ?? []) + (instruction === undefined ? '' : JSON.stringify(instruction));
	return { model, responseId: randomBytes(17).toString('base64url'), promptTokenCount: estimateTokens(promptJson) };
}
