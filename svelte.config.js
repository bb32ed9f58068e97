import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: adapter({ precompress: true }),
		// The origin check is done in hooks.server.ts so that RFC 8058 one-click unsubscribe
		// (a cross-site POST with no Origin header) can be let through on that one route.
		csrf: { checkOrigin: false },
		inlineStyleThreshold: 4096,
		// Registered by a tiny script on signed-in students' pages only (src/lib/offline.ts), not on every page.
		serviceWorker: { register: false },
		// Absolute asset URLs. With csr = false there is no client build, and SvelteKit then inlines the
		// layout's CSS with the font URLs still relative to the CSS file, so every page asked for them in the wrong folder.
		paths: { relative: false },
		typescript: {
			// Type-check the command-line scripts and config files along with the app (svelte-check, eslint).
			config: (tsconfig) => {
				const include = Array.isArray(tsconfig.include) ? tsconfig.include.map(String) : [];
				return {
					...tsconfig,
					include: [...include, '../*.config.js', '../*.config.ts', '../scripts/**/*', '../bench/**/*']
				};
			}
		}
	}
};

export default config;
