import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumMissing, launchChromium } from './chromium';
import { startServer, type TestServer } from './server';

export interface BrowserApp {
	/** The built app on its own database; only there once beforeAll ran with Chromium present. */
	readonly server: TestServer;
	readonly chromium: Browser;
}

/**
 * A browser test file's built app and Chromium: started in beforeAll, stopped in afterAll, and not started at all
 * when Chromium is missing (each test then begins with skipWithoutChromium(ctx), which skips it or, on CI, fails it).
 */
export function useBrowserApp(env: Record<string, string | undefined> = {}): BrowserApp {
	let server: TestServer | undefined;
	let chromium: Browser | undefined;
	beforeAll(async () => {
		if (chromiumMissing()) return;
		server = await startServer(env);
		chromium = await launchChromium();
	});
	afterAll(async () => {
		await chromium?.close();
		await server?.stop();
	});
	return {
		get server() {
			if (!server) throw new Error('the app is not started: call skipWithoutChromium(ctx) first');
			return server;
		},
		get chromium() {
			if (!chromium) throw new Error('Chromium is not started: call skipWithoutChromium(ctx) first');
			return chromium;
		}
	};
}
