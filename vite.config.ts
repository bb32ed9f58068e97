import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		// SvelteKit's adapter runs in closeBundle, which rolldown reports as slow plugin time on every build.
		rolldownOptions: { checks: { bundlerTimings: false } }
	},
	test: {
		include: ['tests/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		fileParallelism: false
	}
});
