import type { OpenAiScenario, RecordedChatRequest } from './types.js';

/** Default outcome, as in the fake Gemini: echo the last user message's text in three roughly equal chunks. */
export function echoScenario(record: RecordedChatRequest): OpenAiScenario {
	const lastUser = record.messages.findLast((message) => message.role === 'user');
	return { kind: 'reply', chunks: splitEvenly(`Echo: ${lastUser?.text ?? ''}`, 3) };
}

/** Splits on code points so that no chunk ends inside a surrogate pair. */
export function splitEvenly(text: string, count: number): string[] {
	const characters = Array.from(text);
	const size = Math.max(1, Math.ceil(characters.length / count));
	const chunks: string[] = [];
	for (let start = 0; start < characters.length; start += size) {
		chunks.push(characters.slice(start, start + size).join(''));
	}
	return chunks;
}
