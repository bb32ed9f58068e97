import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { TestContext } from 'vitest';

/** Browser tests drive the system's Chromium (apt's chromium package); no browser is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and quiet: this machine's network is closed, and Chromium's background calls only fail there. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** What is missing for browser tests at path, or undefined when Chromium is there. */
function noChromium(path: string): string | undefined {
	return existsSync(path) ? undefined : `no Chromium at ${path} (install it with: apt-get install chromium)`;
}

/**
 * Why browser tests cannot run here, or undefined when they can: for a beforeAll to set nothing up. The test
 * itself starts with skipWithoutChromium(ctx), which also fails it on CI.
 */
export function chromiumMissing(path = CHROMIUM_PATH): string | undefined {
	const missing = noChromium(path);
	return missing && `browser test skipped: ${missing}`;
}

/** The one way this project starts Chromium: the browser tests, the page-weight bench and Lighthouse (extraArgs). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Where a screenshot goes: test-results/<name>, a folder kept out of git. */
export function screenshotPath(name: string): string {
	const dir = resolve(import.meta.dirname, '../../test-results');
	mkdirSync(dir, { recursive: true });
	return resolve(dir, name);
}

/**
 * Skips the running test, with a warning that says why, when there is no Chromium to drive. Under CI=true the
 * test fails instead: a CI run whose browser tests were all skipped would pass without having checked them.
 */
export function skipWithoutChromium(
	ctx: Pick<TestContext, 'skip'>,
	env: Record<string, string | undefined> = process.env,
	path = CHROMIUM_PATH
): void {
	const missing = chromiumMissing(path);
	if (!missing) return;
	if (/^(true|1)$/i.test(env.CI?.trim() ?? ''))
		throw new Error(`${noChromium(path)}: under CI=true a browser test fails rather than skip`);
	console.warn(missing);
	ctx.skip(missing);
}
