import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		environment: 'node',
		include: ['test/**/*.test.ts'],
		testTimeout: 20_000,
		hookTimeout: 20_000,
		coverage: { include: ['src/**'] },
	},
});
