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

/**
 * Why browser tests cannot run here, or undefined when they can. Use it as
 * `const missing = chromiumMissing(); if (missing) ctx.skip(missing);` at the top of a test.
 */
export function chromiumMissing(): string | undefined {
	if (existsSync(CHROMIUM_PATH)) return undefined;
	return `browser test skipped: no Chromium at ${CHROMIUM_PATH} (install it with: apt-get install chromium)`;
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Where a screenshot goes: test-results/<name>, a folder kept out of git. */
export function screenshotPath(name: string): string {
	const dir = resolve(import.meta.dirname, '../../test-results');
	mkdirSync(dir, { recursive: true });
	return resolve(dir, name);
}

/** Skips the running test, with a warning that says why, when there is no Chromium to drive. */
export function skipWithoutChromium(ctx: TestContext): void {
	const missing = chromiumMissing();
	if (!missing) return;
	console.warn(missing);
	ctx.skip(missing);
}
