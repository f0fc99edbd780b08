import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ModelContent, ModelPart } from '../chat-model.js';

/**
 * The persona as the `system` message, then the conversation as user and assistant messages (members' names are in
 * their text already: "Alice: …"). Pictures go as base64 data URLs; a user message of text alone is a plain string,
 * which every compatible server takes.
 */
export function toOpenAiMessages(
	systemInstruction: string,
	contents: readonly ModelContent[],
): ChatCompletionMessageParam[] {
	const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: systemInstruction }];
	for (const content of contents) {
		if (content.role === 'model') {
			messages.push({ role: 'assistant', content: textOf(content.parts) });
			continue;
		}
		const parts = content.parts.map(toPart);
		const onlyText = parts.every((part) => part.type === 'text');
		messages.push({ role: 'user', content: onlyText ? textOf(content.parts) : parts });
	}
	return messages;
}

function toPart(part: ModelPart): ChatCompletionContentPart {
	if ('text' in part) return { type: 'text', text: part.text };
	const { mimeType, data } = part.inlineData;
	// Only pictures reach here: the prompt leaves out what chat-completions models cannot read (see modelAccepts).
	if (!mimeType.startsWith('image/')) return { type: 'text', text: `[${mimeType} file left out]` };
	return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${data.toString('base64')}` } };
}

function textOf(parts: readonly ModelPart[]): string {
	return parts.flatMap((part) => ('text' in part ? [part.text] : [])).join('\n');
}
