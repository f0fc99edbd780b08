import type { ModelEvent } from './chat-model.js';

type CodeEvent = Extract<ModelEvent, { type: 'code' | 'code-result' }>;

/**
 * Code Gemini ran, as the answer shows it: the code in a fenced block with its language, then its output (or why it
 * failed) in a plain one. Each starts on its own line so it never runs into the text before it.
 */
export function codeExecutionText(event: CodeEvent, textBefore: string): string {
	const start = textBefore === '' || textBefore.endsWith('\n\n') ? '' : textBefore.endsWith('\n') ? '\n' : '\n\n';
	if (event.type === 'code') {
		const language = event.language.toLowerCase();
		return `${start}${fence(event.code, language === 'language_unspecified' ? '' : language)}\n\n`;
	}
	const failed = event.outcome !== '' && event.outcome !== 'OUTCOME_OK';
	const label = failed ? `Output (${describeOutcome(event.outcome)}):` : 'Output:';
	const output = event.output.trimEnd() === '' ? '(no output)' : event.output.trimEnd();
	return `${start}${label}\n${fence(output, '')}\n\n`;
}

function describeOutcome(outcome: string): string {
	if (outcome === 'OUTCOME_DEADLINE_EXCEEDED') return 'timed out';
	if (outcome === 'OUTCOME_FAILED') return 'failed';
	return outcome.toLowerCase();
}

/** Always three backticks: the message splitter reopens a block cut in two only for those. */
function fence(body: string, language: string): string {
	return `\`\`\`${language}\n${body.replace(/\n+$/, '')}\n\`\`\``;
}
