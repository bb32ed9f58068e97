import adapter from '@sveltejs/adapter-node';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * adapter-node, with its BODY_SIZE_LIMIT default raised from 512K to 1M (DEFAULT_BODY_SIZE_LIMIT in
 * src/lib/server/env.ts) so that `node build` takes Stripe's largest events; the variable still overrides it.
 * The adapter has no option for it, so the default is changed in the handler it writes.
 * @returns {import('@sveltejs/kit').Adapter}
 */
function nodeAdapter() {
	const node = adapter({ precompress: true });
	return {
		...node,
		async adapt(builder) {
			await node.adapt(builder);
			const from = "env('BODY_SIZE_LIMIT', '512K')";
			const files = readdirSync('build', { recursive: true, encoding: 'utf8' })
				.filter((f) => f.endsWith('.js') && !f.startsWith('client'))
				.map((f) => join('build', f))
				.filter((f) => readFileSync(f, 'utf8').includes(from));
			if (files.length !== 1) throw new Error(`build: no single ${from} to raise to 1M`);
			writeFileSync(files[0], readFileSync(files[0], 'utf8').replace(from, "env('BODY_SIZE_LIMIT', '1M')"));
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: nodeAdapter(),
		// The origin check is done in hooks.server.ts so that RFC 8058 one-click unsubscribe
		// (a cross-site POST with no Origin header) can be let through on that one route.
		csrf: { trustedOrigins: ['*'] },
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
				const exclude = Array.isArray(tsconfig.exclude) ? tsconfig.exclude.map(String) : [];
				return {
					...tsconfig,
					include: [...include, '../*.config.js', '../*.config.ts', '../scripts/**/*', '../bench/**/*'],
					// The bare SvelteKit app the bench compares with is an app of its own, with its own build output.
					exclude: [...exclude, '../bench/bare/**']
				};
			}
		}
	}
};

export default config;
