import { expect } from 'vitest';
import type { Browser } from './http';

/**
 * Walks a desk list (`/admin/orders`, `/admin/students`) from `start` through its plain "next page" links, as a
 * browser without JavaScript would: the ids each page links to, page by page.
 */
export async function walkPages(browser: Browser, list: string, start: string): Promise<number[][]> {
	const item = new RegExp(`href="${list}/(\\d+)"`, 'g');
	const pages: number[][] = [];
	let path: string | null = start;
	while (path) {
		const res = await browser.get(path);
		expect(res.status, path).toBe(200);
		const html = await res.text();
		pages.push([...html.matchAll(item)].map((m) => Number(m[1])));
		const next = /<a href="(\?[^"]*)">পরের পাতা/.exec(html)?.[1].replaceAll('&amp;', '&');
		path = next ? `${list}${next}` : null;
		expect(pages.length, 'the paging ends').toBeLessThan(10);
	}
	return pages;
}
