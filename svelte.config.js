import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		adapter: adapter({ precompress: true }),
		// The origin check is done in hooks.server.ts so that RFC 8058 one-click unsubscribe
		// (a cross-site POST with no Origin header) can be let through on that one route.
		csrf: { checkOrigin: false },
		inlineStyleThreshold: 4096
	}
};

export default config;
