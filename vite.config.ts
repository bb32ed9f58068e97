import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { webfonts } from './scripts/subset-font.js';

export default defineConfig({
	plugins: [webfonts(), sveltekit()],
	build: {
		// SvelteKit's adapter runs in closeBundle, which rolldown reports as slow plugin time on every build.
		rolldownOptions: { checks: { bundlerTimings: false } }
	},
	// Bundled into the server rather than loaded file by file at start-up (drizzle-orm alone is 113 modules, the
	// Stripe SDK 218): the first answer after a restart comes about 300 ms sooner for each.
	ssr: {
		noExternal: [
			'drizzle-orm',
			'yaml',
			'marked',
			'sanitize-html',
			'postcss',
			'source-map-js',
			'stripe',
			'resend',
			'postal-mime',
			'standardwebhooks'
		]
	},
	test: {
		include: ['tests/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		fileParallelism: false
	}
});
