import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/', 'coverage/', 'data/'] },
	eslint.configs.recommended,
	tseslint.configs.strictTypeChecked,
	{
		languageOptions: {
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
		},
		rules: {
			'@typescript-eslint/consistent-type-imports': 'error',
			'@typescript-eslint/switch-exhaustiveness-check': 'error',
			'@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
			'no-console': 'error',
		},
	},
	{
		// In tests a wrong assumption should fail loudly at the assertion, which `!` does.
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
	},
	{
		files: ['eslint.config.js'],
		extends: [tseslint.configs.disableTypeChecked],
	},
	{
		// The sandbox page: plain JavaScript the browser loads as is, outside the TypeScript project.
		files: ['src/sandbox/page/**/*.js'],
		extends: [tseslint.configs.disableTypeChecked],
		languageOptions: {
			globals: {
				document: 'readonly',
				location: 'readonly',
				fetch: 'readonly',
				EventSource: 'readonly',
				FileReader: 'readonly',
				setInterval: 'readonly',
			},
		},
	},
	{
		// Plain JavaScript that runs before the build, outside the TypeScript project.
		files: ['bin/**/*.js'],
		extends: [tseslint.configs.disableTypeChecked],
	},
);
