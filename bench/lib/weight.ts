import type { Browser, Page } from 'playwright-core';

export interface Transfer {
	url: string;
	status: number;
	/** Bytes received for it, headers included (Chromium's encodedDataLength). */
	bytes: number;
}

export interface Visit {
	path: string;
	bytes: number;
	/** What came over the network. */
	transfers: Transfer[];
	/** Resources taken from the browser's cache without a request. */
	fromCache: number;
}

export interface LessonWeight {
	/** A first visit with an empty cache: the page, its fonts and icon. */
	firstLoad: Visit;
	/** Then the next lesson, by its link, with what the first visit cached. */
	secondLesson: Visit;
	/** The first lesson opened again: a revalidation. */
	reload: Visit;
}

/** Counts what comes over the network while `action` runs and the page settles (fonts included). */
async function visit(page: Page, path: string, action: () => Promise<unknown>): Promise<Visit> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	const seen = new Map<string, Transfer>();
	cdp.on('Network.responseReceived', (e) =>
		seen.set(e.requestId, { url: e.response.url, status: e.response.status, bytes: 0 })
	);
	cdp.on('Network.loadingFinished', (e) => {
		const transfer = seen.get(e.requestId);
		if (transfer) transfer.bytes = e.encodedDataLength;
	});
	await action();
	await page.waitForLoadState('load');
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	await page.waitForTimeout(300);
	await cdp.detach();
	const all = [...seen.values()].filter((t) => !t.url.startsWith('data:'));
	const transfers = all.filter((t) => t.bytes > 0);
	return {
		path,
		bytes: transfers.reduce((sum, t) => sum + t.bytes, 0),
		transfers,
		fromCache: all.length - transfers.length
	};
}

/**
 * What a reader on a phone downloads: a lesson opened with an empty cache, then the next lesson, then
 * the first one again. `cookie` signs the reader in (name=value).
 */
export async function lessonWeight(
	browser: Browser,
	origin: string,
	first: string,
	second: string,
	cookie?: string
): Promise<LessonWeight> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		deviceScaleFactor: 2,
		isMobile: true
	});
	if (cookie) {
		const [name, value] = cookie.split(/=(.*)/s);
		await context.addCookies([{ name, value, url: origin }]);
	}
	const page = await context.newPage();
	const firstLoad = await visit(page, first, () => page.goto(origin + first));
	const secondLesson = await visit(page, second, async () => {
		const link = page.locator(`a[href="${second}"]`).first();
		if (await link.count()) await Promise.all([page.waitForURL(origin + second), link.click()]);
		else await page.goto(origin + second);
	});
	const reload = await visit(page, first, () => page.goto(origin + first));
	await context.close();
	return { firstLoad, secondLesson, reload };
}
