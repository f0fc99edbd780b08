/** The demo model's name as the bot writes it: endpoint `demo`, model `canned-text`. */
export const DEMO_MODEL = 'demo/canned-text';

const QUOTE_LIMIT = 120;

/**
 * What the demo model answers to `question` (the last member message it was sent): canned text that says what it is
 * and shows what the page renders (a list, code, a link, subtext), long enough to watch it stream and to press Stop.
 */
export function demoAnswer(question: string): string {
	const flat = question.replace(/\s+/g, ' ').trim();
	const quoted = flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT)}…` : flat;
	return [
		`**Demo model:** this is canned text, not an AI. You wrote: “${quoted || '(nothing)'}”.`,
		'',
		'Everything around this answer is the real bot: the thread it opened, the stored conversation, the queue, the ' +
			'streaming edits you are watching, the Stop button, the slash commands and their permission checks.',
		'',
		'To get real answers, give the sandbox a model in `.env` and start it again:',
		'- `GEMINI_API_KEY`, free from https://aistudio.google.com/apikey',
		'- or a local server such as Ollama: `OPENAI_BASE_URL=http://localhost:11434/v1` and `MODEL=openai/llama3.2`',
		'',
		'```sh',
		'npm run sandbox',
		'```',
		'-# The demo model streams this text a few words at a time.',
	].join('\n');
}

/** The pieces the demo model streams `text` in: a word and the space after it. */
export function demoChunks(text: string): string[] {
	return text.match(/\S+\s*|\s+/g) ?? [];
}
