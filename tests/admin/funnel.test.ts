// The funnel's visits: counted without cookies, once a day per visitor, bots and the seller left out, written in
// batches (a page view writes nothing), shown on the overview with their sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/http';
import { fixtureCourse } from '../support/fixture-course';
import { startServer, type TestServer } from '../support/server';
import { signIn } from '../support/students';

let server: TestServer;
const ADMIN = 'seller@example.com';
const { free } = fixtureCourse();
const PHONE =
	'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const TABLET =
	'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1';

beforeAll(async () => {
	server = await startServer({ ADMIN_EMAILS: ADMIN });
});
afterAll(async () => {
	await server?.stop();
});

const visit = async (browser: Browser, path: string, agent: string | null, referer?: string): Promise<number> => {
	const headers: Record<string, string> = { accept: 'text/html' };
	if (agent !== null) headers['user-agent'] = agent;
	if (referer) headers.referer = referer;
	const res = await browser.get(path, { headers });
	await res.arrayBuffer();
	return res.status;
};

const stored = (): { page: string; source: string; visitors: number }[] =>
	server.db.prepare('select page, source, visitors from visit_counts order by page, source').all() as never;

describe('counting visits', () => {
	it('counts a browser once a day, by source; leaves out bots and the seller; writes only in batches', async () => {
		const reader = new Browser(server.origin);
		for (let i = 0; i < 3; i++) expect(await visit(reader, '/', PHONE)).toBe(200);
		expect(await visit(reader, `/lessons/${free[0].slug}`, PHONE)).toBe(200);
		expect(await visit(new Browser(server.origin), '/?utm_source=Facebook', LAPTOP)).toBe(200);
		expect(await visit(new Browser(server.origin), '/', TABLET, 'https://www.google.com/search?q=x')).toBe(200);
		// Not readers: a crawler, a link preview, a script without a user agent.
		await visit(
			new Browser(server.origin),
			'/',
			'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
		);
		await visit(new Browser(server.origin), '/', 'facebookexternalhit/1.1');
		await visit(new Browser(server.origin), '/', null);
		expect(reader.cookies.size, 'no cookie is set to count a visit').toBe(0);
		expect(stored(), 'a page view writes nothing; counts wait for the batch').toEqual([]);

		const admin = await signIn(server, ADMIN);
		await visit(admin, '/', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15');
		const overview = await (await admin.get('/admin?period=today')).text();
		expect(stored()).toEqual([
			{ page: 'free', source: 'direct', visitors: 1 },
			{ page: 'sales', source: 'direct', visitors: 1 },
			{ page: 'sales', source: 'facebook', visitors: 1 },
			{ page: 'sales', source: 'www.google.com', visitors: 1 }
		]);
		const funnel = overview.slice(
			overview.indexOf('id="funnel"'),
			overview.indexOf('</section>', overview.indexOf('id="funnel"'))
		);
		expect(funnel).toMatch(/বিক্রির পাতা দেখেছেন<\/td>\s*<td data-label="সংখ্যা">৩</);
		expect(funnel).toContain('www.google.com');
		expect(server.db.prepare("select count(*) n from visit_counts where source like '%127.0.0.1%'").get()).toEqual({
			n: 0
		});
	});
});
