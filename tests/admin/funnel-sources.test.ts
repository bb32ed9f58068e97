// The funnel by entry source: a visitor's signup, confirmation, checkout and purchase count under the source of their
// first visit that day (kept in memory, cookieless), through demo payments, Stripe's signed webhook and a wallet claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeStripe } from '../support/fake-stripe';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { importCsv } from '../support/list-import';
import { signIn } from '../support/students';
import { deliver, stripeEvent } from '../support/stripe-events';
import { startStripeStore } from '../payments/setup';

const ADMIN = 'seller@example.com';
const HTML = { accept: 'text/html' };
const PHONE =
	'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const TABLET =
	'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** A person: one address and one browser, as the store tells visitors apart (ADDRESS_HEADER names the address). */
class Visitor {
	readonly browser: Browser;
	constructor(
		readonly server: TestServer,
		readonly ip: string,
		readonly agent: string
	) {
		this.browser = new Browser(server.origin);
	}
	private headers(from?: string): Record<string, string> {
		return {
			...HTML,
			'user-agent': this.agent,
			'x-forwarded-for': this.ip,
			...(from ? { referer: new URL(from, this.server.origin).href } : {})
		};
	}
	async get(path: string, from?: string): Promise<number> {
		const res = await this.browser.get(path, { headers: this.headers(from) });
		await res.arrayBuffer();
		return res.status;
	}
	/** A form sent from the page `from` (its Referer), as a browser sends it. */
	post(path: string, fields: Record<string, string>, from: string): Promise<Response> {
		return this.browser.post(path, fields, this.headers(from));
	}
	async signup(email: string, from = '/'): Promise<void> {
		const fields = { email, name: 'পাঠক', form: 'sales-page', page: '/', consent: '2026-11-bn-1' };
		const res = await this.post('/subscribe', fields, from);
		expect(res.status, await res.text()).toBe(200);
	}
}

/** Each step per source as stored (source_days) and counted (visit_counts), summed over the days. */
function stored(server: TestServer): Record<string, Record<string, number>> {
	const rows = server.db
		.prepare(
			`select source, 'signups' step, sum(signups) n from source_days group by source
			union all select source, 'confirmed', sum(confirmations) from source_days group by source
			union all select source, 'purchases', sum(purchases) from source_days group by source
			union all select source, page, sum(visitors) from visit_counts group by source, page`
		)
		.all() as { source: string; step: string; n: number }[];
	const out: Record<string, Record<string, number>> = {};
	for (const r of rows) if (r.n) (out[r.source] ??= {})[r.step] = r.n;
	return out;
}

/** The overview's source cards: each source's cells by their label, tags taken out. */
async function sourceCards(admin: Browser): Promise<Map<string, Record<string, string>>> {
	const html = await (await admin.get('/admin?period=today')).text();
	const table = /<table class="cards sources[^"]*">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
	const cards = new Map<string, Record<string, string>>();
	for (const [, row] of table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
		const cells = Object.fromEntries(
			[...row.matchAll(/<td data-label="([^"]+)"[^>]*>([\s\S]*?)<\/td>/g)].map(([, label, value]) => [
				label,
				value
					.replace(/<[^>]+>/g, '')
					.replace(/\s+/g, ' ')
					.trim()
			])
		);
		if (cells['উৎস']) cards.set(cells['উৎস'], cells);
	}
	return cards;
}

/** Waits for the confirmation mail to `to` in the demo mailbox and returns its link's path and query. */
async function confirmLink(server: TestServer, to: string): Promise<string> {
	for (let i = 0; i < 200; i++) {
		const mail = server.db
			.prepare(`select text from demo_mailbox where to_email = ? and text like '%/subscribe/confirm%'`)
			.get(to) as { text: string } | undefined;
		const url = mail && /https?:\/\/[^\s)]+\/subscribe\/confirm[^\s)]*/.exec(mail.text)?.[0];
		if (url) return new URL(url).pathname + new URL(url).search;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no confirmation mail for ${to}`);
}

describe('demo payments and wallets', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startServer({ ADMIN_EMAILS: ADMIN, ADDRESS_HEADER: 'X-Forwarded-For' });
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('counts each step under the source of the visitor first visit today, never under someone else', async () => {
		// A reader from Facebook: later pages carry no utm_source, yet everything they do counts under "fb".
		const fb = new Visitor(server, '198.51.100.7', PHONE);
		expect(await fb.get('/?utm_source=fb')).toBe(200);
		expect(await fb.get('/', '/?utm_source=fb')).toBe(200);
		await fb.signup('fb.reader@example.com', '/');
		const confirm = await confirmLink(server, 'fb.reader@example.com');
		// Clicked from a mail app: no visit, another browser; the confirmation counts under the signup's source.
		const mailApp = new Visitor(server, '192.0.2.99', LAPTOP);
		expect((await mailApp.post(confirm, {}, confirm)).status).toBe(200);
		expect((await mailApp.post(confirm, {}, confirm)).status, 'a second click').toBe(200);
		const checkout = await fb.post('/checkout', {}, '/');
		expect(checkout.status).toBe(303);
		const page = checkout.headers.get('location')!;
		expect(page).toMatch(/^\/checkout\/demo\/cs_demo_/);
		expect((await fb.post(page, { email: 'fb.reader@example.com', name: 'পাঠক' }, page)).status).toBe(303);
		expect((await fb.post(page, { email: 'fb.reader@example.com', name: 'পাঠক' }, page)).status, 'paid twice').toBe(
			303
		);

		// The same address in another browser, and the same browser at another address: other people, direct.
		const sameAddress = new Visitor(server, '198.51.100.7', LAPTOP);
		expect(await sameAddress.get('/')).toBe(200);
		await sameAddress.signup('laptop@example.com');
		await new Visitor(server, '198.51.100.8', PHONE).signup('other.phone@example.com');

		// No counted visit (say, before a restart): the form's own Referer still names where the page was opened from.
		await new Visitor(server, '198.51.100.9', LAPTOP).signup('ig.reader@example.com', '/?utm_source=ig');

		// A wallet buyer from YouTube: the payment page is their checkout, the seller's approval their purchase.
		const yt = new Visitor(server, '198.51.100.10', TABLET);
		expect(await yt.get('/?utm_source=YouTube')).toBe(200);
		expect(await yt.get('/pay/bkash', '/')).toBe(200);
		const claim = await yt.post(
			'/pay/bkash',
			{ email: 'yt.buyer@example.com', name: 'ক্রেতা', trx_id: 'BQX7Y2K9ZA', sender: '01712345678' },
			'/pay/bkash'
		);
		expect(claim.status).toBe(200);
		const { id } = server.db.prepare(`select id from wallet_claims where email = 'yt.buyer@example.com'`).get() as {
			id: number;
		};

		// Neither a crawler nor the seller is a visitor with a source.
		const bot = new Visitor(server, '198.51.100.11', GOOGLEBOT);
		expect(await bot.get('/?utm_source=crawler')).toBe(200);
		const admin = await signIn(server, ADMIN);
		await admin.get('/?utm_source=seller', { headers: { 'user-agent': LAPTOP } });
		expect((await admin.post('/admin/payments?/approve', { id: String(id) }, HTML)).status).toBe(200);

		const cards = await sourceCards(admin);
		expect(stored(server)).toEqual({
			fb: { sales: 1, signups: 1, confirmed: 1, checkout: 1, purchases: 1 },
			direct: { sales: 1, signups: 2 },
			ig: { signups: 1 },
			youtube: { sales: 1, checkout: 1, purchases: 1 }
		});
		expect(cards.get('fb')).toEqual({
			উৎস: 'fb',
			'বিক্রির পাতা দেখেছেন': '১',
			'ফ্রি পাঠ পড়েছেন': '০ (০%)',
			'ইমেইল দিয়েছেন': '১ (—)',
			'নিশ্চিত করেছেন': '১ (১০০%)',
			'কেনা শুরু করেছেন': '১ (১০০%)',
			কিনেছেন: '১ (১০০%)'
		});
		expect(cards.get('সরাসরি')).toMatchObject({ 'বিক্রির পাতা দেখেছেন': '১', 'ইমেইল দিয়েছেন': '২ (—)' });
		expect(cards.get('youtube')).toMatchObject({ 'কেনা শুরু করেছেন': '১ (—)', কিনেছেন: '১ (১০০%)' });
		expect([...cards.keys()].join(' ')).not.toMatch(/crawler|seller/);
	});

	it('shows the top sources one by one and sums the rest; rows from before sources are "unknown"', async () => {
		const admin = await signIn(server, ADMIN);
		const before = (await sourceCards(admin)).size;
		for (let i = 0; i < 9; i++) await new Visitor(server, `203.0.113.${i + 1}`, TABLET).get(`/?utm_source=ad${i}`);
		// A subscriber written without a source, as every row older than the column is.
		server.db
			.prepare(
				`insert into subscribers (email, consent_at, consent_page, consent_form, consent_text_version)
				values ('old@example.com', 0, '/', 'sales-page', 'v0')`
			)
			.run();
		const cards = await sourceCards(admin);
		expect(before).toBeGreaterThan(0);
		expect(cards.size).toBe(9);
		const others = cards.get('অন্য সব উৎস');
		expect(others, [...cards.keys()].join(', ')).toBeDefined();
		// fb, direct and YouTube from the first test, and these nine.
		const shown = [...cards.values()].map((c) => c['বিক্রির পাতা দেখেছেন'].split(' ')[0]);
		expect(shown.filter((n) => n === '১')).toHaveLength(shown.length - 1);
		expect(others!['বিক্রির পাতা দেখেছেন'], `${shown.join(' + ')} = ১২`).toBe(
			String(12 - (shown.length - 1)).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)])
		);
		expect(stored(server)['(unknown)']).toEqual({ signups: 1 });
	});

	it("leaves addresses a CSV import added out of the funnel: they joined another list, not this store's", async () => {
		const admin = await signIn(server, ADMIN);
		const funnel = async (): Promise<{
			signups: string;
			confirmed: string;
			cards: [string, Record<string, string>][];
		}> => {
			const html = await (await admin.get('/admin?period=today')).text();
			const step = (name: string): string =>
				new RegExp(`${name}</td>\\s*<td data-label="সংখ্যা">([^<]*)<`).exec(html)?.[1] ?? '';
			return {
				signups: step('ইমেইল দিয়েছেন'),
				confirmed: step('নিশ্চিত করেছেন'),
				cards: [...(await sourceCards(admin))]
			};
		};
		const before = await funnel();
		expect(before.signups).not.toBe('');
		const csv = 'email,name\nfrom.kit.1@example.com,এক\nfrom.kit.2@example.com,দুই\nfrom.kit.3@example.com,তিন\n';
		expect(await importCsv(admin, 'kit-export.csv', csv)).toBe(200);
		expect(stored(server)['(unknown)'], 'stored as the triggers keep every row').toEqual({ signups: 4, confirmed: 3 });

		const after = await funnel();
		expect(after).toEqual(before);
		// And a signup from the form after it still counts.
		await new Visitor(server, '198.51.100.77', LAPTOP).signup('after.import@example.com', '/?utm_source=mail');
		expect((await funnel()).signups).not.toBe(before.signups);
	});
});

describe('Stripe checkout', () => {
	let server: TestServer;
	let fake: FakeStripe;
	beforeAll(async () => {
		({ server, fake } = await startStripeStore({ ADMIN_EMAILS: ADMIN, ADDRESS_HEADER: 'X-Forwarded-For' }));
	});
	afterAll(async () => {
		await server?.stop();
		await fake?.stop();
	});

	it('carries the source on the Checkout Session, so the webhook purchase counts once under it', async () => {
		const reader = new Visitor(server, '198.51.100.20', PHONE);
		expect(await reader.get('/?utm_source=newsletter')).toBe(200);
		const res = await reader.post('/checkout', {}, '/');
		expect(res.status).toBe(303);
		const session = [...fake.sessions.values()].find((s) => s.url === res.headers.get('location'))!;
		expect(session.metadata).toMatchObject({ source: 'newsletter' });

		const paid = fake.pay(session.id, { email: 'stripe.buyer@example.com' });
		const event = stripeEvent('checkout.session.completed', paid);
		expect((await deliver(server.origin, event.body)).status).toBe(200);
		expect((await deliver(server.origin, event.body)).status, 'the same delivery again').toBe(200);
		const again = stripeEvent('checkout.session.completed', paid);
		expect((await deliver(server.origin, again.body)).status, 'another event for the same session').toBe(200);

		const admin = await signIn(server, ADMIN);
		const cards = await sourceCards(admin);
		expect(stored(server)).toEqual({ newsletter: { sales: 1, checkout: 1, purchases: 1 } });
		expect(cards.get('newsletter')).toMatchObject({ 'কেনা শুরু করেছেন': '১ (—)', কিনেছেন: '১ (১০০%)' });
	});
});
