// A browser test without Chromium skips on a developer's machine, and fails on CI, where a skip would hide it.
import { afterEach, describe, expect, it, vi, type TestContext } from 'vitest';
import { skipWithoutChromium } from './support/chromium';

const NOWHERE = '/nowhere/chromium';
const NO_CHROMIUM = `no Chromium at ${NOWHERE} (install it with: apt-get install chromium)`;

/** What skipWithoutChromium did with a test: skipped it (with its message), failed it, or let it run. */
function outcomeWith(env: Record<string, string | undefined>, chromium: string): string {
	const skips: string[] = [];
	const skip = ((note?: string) => void skips.push(note ?? '')) as TestContext['skip'];
	try {
		skipWithoutChromium({ skip }, env, chromium);
	} catch (e) {
		return `failed: ${(e as Error).message}`;
	}
	return skips.length ? `skipped: ${skips.join()}` : 'ran';
}

describe('skipWithoutChromium', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it('skips with its message, also printed as a warning, where CI is not set', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		for (const ci of [undefined, '', 'false', '0'])
			expect(outcomeWith({ CI: ci }, NOWHERE), String(ci)).toBe(`skipped: browser test skipped: ${NO_CHROMIUM}`);
		expect(warn).toHaveBeenCalledTimes(4);
		expect(warn).toHaveBeenCalledWith(`browser test skipped: ${NO_CHROMIUM}`);
	});

	it('fails the test under CI=true', () => {
		for (const ci of ['true', 'TRUE', '1'])
			expect(outcomeWith({ CI: ci }, NOWHERE), ci).toBe(
				`failed: ${NO_CHROMIUM}: under CI=true a browser test fails rather than skip`
			);
	});

	it('lets the test run when Chromium is there, on CI or not', () => {
		// Any file that exists stands in for Chromium: only its presence is checked.
		expect(outcomeWith({ CI: 'true' }, process.execPath)).toBe('ran');
		expect(outcomeWith({}, process.execPath)).toBe('ran');
	});
});
