// RFC 8058 one-click unsubscribe works with no cookie and no Origin; every other form still refuses cross-site posts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { ROOT, startDrip } from '../support/mail-env';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
const HTML = { accept: 'text/html,application/xhtml+xml' };
const { free, steps } = fixtureCourse();

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.stop();
});

async function waitFor<T>(read: () => T | undefined): Promise<T> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const value = read();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out:\n${server.output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** Subscribes and confirms over HTTP; returns the List-Unsubscribe URL of the first lead mail. */
async function confirmedSubscriber(email: string): Promise<URL> {
	const browser = new Browser(server.origin);
	await browser.post('/subscribe', { email, form: 'sales-page', page: '/' }, HTML);
	const confirm = await waitFor(
		() =>
			server.db.prepare("select text from demo_mailbox where to_email = ? and subject like '%নিশ্চিত%'").get(email) as
				{ text: string } | undefined
	);
	const url = new URL(/http:\/\/\S+\/subscribe\/confirm\?token=\S+/.exec(confirm.text)?.[0] ?? '');
	await browser.post(url.pathname + url.search, {}, HTML);
	const welcome = await waitFor(
		() =>
			server.db
				.prepare("select headers from demo_mailbox where to_email = ? and headers like '%List-Unsubscribe%'")
				.get(email) as { headers: string } | undefined
	);
	const header = (JSON.parse(welcome.headers) as Record<string, string>)['List-Unsubscribe'];
	return new URL(header.slice(1, -1));
}

const suppressions = (email: string): unknown[] =>
	server.db.prepare('select reason, detail from suppressions where email = ?').all(email);

test('GET /unsubscribe only shows a page with a button', async () => {
	const url = await confirmedSubscriber('reader@example.com');
	const res = await fetch(url);
	expect(res.status).toBe(200);
	const page = await res.text();
	expect(page).toContain('হ্যাঁ, আনসাবস্ক্রাইব করুন');
	expect(page).toContain('r•••@example.com');
	expect(page).not.toContain('reader@example.com');
	expect(suppressions('reader@example.com')).toEqual([]);
});

test('one-click POST with no cookie and no Origin: 200, suppressed for marketing, sequences stopped, repeats change nothing', async () => {
	const email = 'clicker@example.com';
	const target = await confirmedSubscriber(email);
	for (let i = 0; i < 3; i++) {
		// What a mail provider sends (RFC 8058 §3.2): no cookies, no Origin, a form body.
		const res = await fetch(target, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'List-Unsubscribe=One-Click',
			redirect: 'manual'
		});
		expect(res.status).toBe(200);
	}
	expect(suppressions(email)).toEqual([{ reason: 'unsubscribed', detail: 'one-click (RFC 8058)' }]);
	expect(server.db.prepare('select status from subscribers where email = ?').get(email)).toEqual({
		status: 'unsubscribed'
	});
	expect(server.db.prepare('select status, stopped_reason from sequence_runs where email = ?').get(email)).toEqual({
		status: 'stopped',
		stopped_reason: 'unsubscribed'
	});
	const pending = server.db
		.prepare("select count(*) as n from outbox where to_email = ? and status in ('pending', 'waiting')")
		.get(email);
	expect(pending).toEqual({ n: 0 });

	// Later: a marketing mail queued for the address is not sent; a sign-in link still is.
	const before = (server.db.prepare('select coalesce(max(id), 0) as id from demo_mailbox').get() as { id: number }).id;
	server.db
		.prepare("insert into outbox (idempotency_key, template, to_email, marketing) values ('late-marketing', ?, ?, 1)")
		.run(`lead/${steps('lead')[1].id}`, email);
	server.db
		.prepare(
			"insert into outbox (idempotency_key, template, to_email, marketing) values ('late-login', 'login-link', ?, 0)"
		)
		.run(email);
	const run = await startDrip({ DATABASE_PATH: server.dbPath, ORIGIN: server.origin }).done;
	expect(run.code, run.output).toBe(0);
	const after = server.db.prepare('select subject from demo_mailbox where to_email = ? and id > ?').all(email, before);
	expect(after).toEqual([{ subject: 'আপনার সাইন ইনের লিংক' }]);
	expect(
		server.db.prepare("select status, last_error from outbox where idempotency_key = 'late-marketing'").get()
	).toEqual({ status: 'stopped', last_error: 'suppressed: unsubscribed' });
});

test('one-click also works as multipart/form-data and from the page button; a forged token changes nothing', async () => {
	const url = await confirmedSubscriber('second@example.com');
	const body = new FormData();
	body.set('List-Unsubscribe', 'One-Click');
	expect((await fetch(url, { method: 'POST', body })).status).toBe(200);
	expect(suppressions('second@example.com')).toHaveLength(1);

	const third = await confirmedSubscriber('third@example.com');
	const browser = new Browser(server.origin);
	const res = await browser.post(third.pathname + third.search, {}, HTML);
	expect(res.status).toBe(200);
	expect(await res.text()).toContain('আপনাকে তালিকা থেকে সরিয়ে দেওয়া হয়েছে');
	expect(suppressions('third@example.com')).toEqual([{ reason: 'unsubscribed', detail: 'unsubscribe page' }]);

	const forged = `/unsubscribe?token=${Buffer.from('victim@example.com').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAAAA`;
	const refused = await fetch(new URL(forged, server.origin), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML },
		body: 'List-Unsubscribe=One-Click'
	});
	expect(refused.status).toBe(400);
	expect(suppressions('victim@example.com')).toEqual([]);
});

/** Every route that takes a form POST or a POST at all, from src/routes: +page.server.ts with actions, +server.ts with POST. */
function postRoutes(): string[] {
	const found: string[] = [];
	const walk = (dir: string): void => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (
				/^\+page\.server\.ts$/.test(name)
					? /export const actions/.test(readFileSync(path, 'utf8'))
					: /^\+server\.ts$/.test(name) && /export const POST/.test(readFileSync(path, 'utf8'))
			) {
				const route =
					'/' +
					relative(join(ROOT, 'src/routes'), dir)
						.replace(/\[\.{0,3}[^\]]+\]/g, 'x')
						.replace(/\\/g, '/');
				found.push(route === '/.' ? '/' : route.replace(/\/$/, ''));
			}
		}
	};
	walk(join(ROOT, 'src/routes'));
	return found;
}

test('a cross-site POST to any other form is refused with 403, whatever the form encoding; a same-origin one is not', async () => {
	// The routes the other parts of the store add (checkout, sign-in) are refused by the same check.
	const routes = [
		...new Set([...postRoutes(), '/', '/checkout', '/login', '/logout', `/lessons/${free[0].slug}`, '/course'])
	].filter((r) => r !== '/unsubscribe');
	expect(routes).toContain('/subscribe');
	expect(routes).toContain('/subscribe/confirm');
	const bodies: [string, BodyInit][] = [
		['application/x-www-form-urlencoded', 'email=victim%40example.com'],
		[
			'multipart/form-data; boundary=x',
			'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nvictim@example.com\r\n--x--\r\n'
		],
		['text/plain', 'email=victim@example.com']
	];
	for (const route of routes) {
		for (const [type, body] of bodies) {
			for (const origin of ['https://evil.example', null]) {
				const headers: Record<string, string> = { 'content-type': type, ...HTML };
				if (origin) headers.origin = origin;
				const res = await fetch(new URL(`${route}?token=x`, server.origin), {
					method: 'POST',
					headers,
					body,
					redirect: 'manual'
				});
				expect(res.status, `${route} ${type} from ${origin ?? 'no Origin'}`).toBe(403);
			}
		}
	}
	expect(server.db.prepare("select count(*) as n from subscribers where email = 'victim@example.com'").get()).toEqual({
		n: 0
	});
	const same = await new Browser(server.origin).post('/subscribe', { email: 'victim@example.com' }, HTML);
	expect(same.status).toBe(200);
	// Only /unsubscribe is exempt.
	const cross = await fetch(new URL('/unsubscribe?token=x', server.origin), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', ...HTML },
		body: 'List-Unsubscribe=One-Click'
	});
	expect(cross.status).toBe(400);
});
