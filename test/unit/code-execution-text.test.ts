import { describe, expect, it } from 'vitest';
import { codeExecutionText } from '../../src/llm/code-execution-text.js';

const code = (language: string, body: string) => ({ type: 'code' as const, language, code: body });
const result = (outcome: string, output: string) => ({ type: 'code-result' as const, outcome, output });

describe('codeExecutionText', () => {
	it('fences code with its language in lower case', () => {
		expect(codeExecutionText(code('PYTHON', 'print(2 + 2)\n\n'), '')).toBe('```python\nprint(2 + 2)\n```\n\n');
	});

	it('fences code without a language when Gemini leaves it unspecified', () => {
		expect(codeExecutionText(code('LANGUAGE_UNSPECIFIED', 'x = 1'), '')).toBe('```\nx = 1\n```\n\n');
	});

	it('labels a successful output and fences it without a language', () => {
		expect(codeExecutionText(result('OUTCOME_OK', '4\n'), '')).toBe('Output:\n```\n4\n```\n\n');
		expect(codeExecutionText(result('', '4'), '')).toBe('Output:\n```\n4\n```\n\n');
	});

	it('says why the code failed: an error or a timeout', () => {
		expect(codeExecutionText(result('OUTCOME_FAILED', 'Traceback'), '')).toBe(
			'Output (failed):\n```\nTraceback\n```\n\n',
		);
		expect(codeExecutionText(result('OUTCOME_DEADLINE_EXCEEDED', ''), '')).toBe(
			'Output (timed out):\n```\n(no output)\n```\n\n',
		);
	});

	it('shows (no output) when the code printed nothing but blanks', () => {
		expect(codeExecutionText(result('OUTCOME_OK', '  \n\n'), '')).toBe('Output:\n```\n(no output)\n```\n\n');
	});

	it('starts on its own paragraph after the text before it', () => {
		const block = '```python\npass\n```\n\n';
		expect(codeExecutionText(code('PYTHON', 'pass'), 'Let me compute:')).toBe(`\n\n${block}`);
		expect(codeExecutionText(code('PYTHON', 'pass'), 'Let me compute:\n')).toBe(`\n${block}`);
		expect(codeExecutionText(code('PYTHON', 'pass'), 'Let me compute:\n\n')).toBe(block);
		expect(codeExecutionText(result('OUTCOME_OK', '1'), '```python\npass\n```')).toBe('\n\nOutput:\n```\n1\n```\n\n');
	});
});
