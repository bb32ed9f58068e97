// The takeover, replayed as an attacker would on a public demo store (DEMO_MODE=1): asking for sign-in links for
// the admin's and a buyer's address shows the attacker nothing but the mails to an address they gave first.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { outcome, sha256 } from '../support/students';

const PUBLIC = 'https://demo.example.com';
const ADMIN = 'owner@example.com';
const VICTIM = 'buyer@example.com';
const ATTACKER = 'mallory@example.com';

let server: TestServer;

beforeAll(async () => {
	// The server listens on 127.0.0.1; ORIGIN is only its public name, so every POST carries that Origin.
	server = await startServer({ ORIGIN: PUBLIC, DEMO_MODE: '1', ADMIN_EMAILS: ADMIN });
});
afterAll(async () => {
	await server?.stop();
});

const post = (browser: Browser, path: string, fields: Record<string, string> = {}): Promise<Response> =>
	browser.post(path, fields, { origin: PUBLIC });

interface Mail {
	id: number;
	to_email: string;
	subject: string;
	text: string;
}

const mails = (): Mail[] =>
	server.db.prepare('select id, to_email, subject, text from demo_mailbox order by id').all() as Mail[];

/** Waits until the sender has put at least n mails to `to` in the demo mailbox. */
async function mailsTo(to: string, n: number): Promise<Mail[]> {
	for (let i = 0; i < 400; i++) {
		const found = mails().filter((m) => m.to_email === to);
		if (found.length >= n) return found;
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error(`fewer than ${n} mails to ${to}: ${JSON.stringify(mails().map((m) => m.to_email))}`);
}

/** A demo purchase in this browser, as a buyer makes it. */
async function buy(browser: Browser, email: string): Promise<void> {
	const checkout = await post(browser, '/checkout');
	expect(checkout.status).toBe(303);
	const paid = await post(browser, new URL(checkout.headers.get('location')!, PUBLIC).pathname, {
		email,
		name: 'ক্রেতা'
	});
	expect(paid.status).toBe(303);
}

/** Every sign-in or confirmation token in a text. */
const tokens = (text: string): string[] => [...text.matchAll(/token=([\w-]+)/g)].map((m) => m[1]);

test('an attacker who asks for the admin and a buyer sees only their own mails, in the list and by id', async () => {
	const victim = new Browser(server.origin);
	await buy(victim, VICTIM);
	await mailsTo(VICTIM, 1);

	const attacker = new Browser(server.origin);
	for (const email of [ADMIN, VICTIM, ATTACKER]) expect((await post(attacker, '/login', { email })).status).toBe(200);
	// Buying and signing up in the others' names changes nothing either.
	await buy(attacker, VICTIM);
	const signup = { form: 'sales-page', page: '/', consent: '2026-11-bn-1' };
	expect((await post(attacker, '/subscribe', { email: ADMIN, ...signup })).status).toBe(200);
	const adminMails = await mailsTo(ADMIN, 2);
	const victimMails = await mailsTo(VICTIM, 2);
	const attackerMails = await mailsTo(ATTACKER, 1);
	const secrets = [...adminMails, ...victimMails].flatMap((m) => tokens(m.text));
	expect(secrets.length).toBeGreaterThanOrEqual(3);

	const list = await attacker.get('/dev/mailbox');
	expect(list.status).toBe(200);
	const html = await list.text();
	for (const mail of attackerMails) expect(html).toContain(`href="/dev/mailbox/${mail.id}"`);
	expect(html).not.toContain(ADMIN);
	expect(html).not.toContain(VICTIM);
	const data = await (await attacker.get('/dev/mailbox/__data.json')).text();
	expect(data).toContain(ATTACKER);
	expect(data).not.toContain(ADMIN);
	expect(data).not.toContain(VICTIM);

	for (const mail of mails()) {
		for (const path of [`/dev/mailbox/${mail.id}`, `/dev/mailbox/${mail.id}/__data.json`]) {
			const { status, body } = await outcome(await attacker.get(path));
			if (mail.to_email === ATTACKER) {
				expect(status, path).toBe(200);
				expect(body).toContain(tokens(mail.text)[0]);
			} else {
				expect(status, `${path} to ${mail.to_email}`).toBe(404);
				for (const secret of secrets) expect(body).not.toContain(secret);
			}
		}
	}
});

test('the buyer sees the mails to their own address and never the admin’s', async () => {
	const victim = new Browser(server.origin);
	await buy(victim, 'second.buyer@example.com');
	await post(victim, '/login', { email: ADMIN });
	const [welcome] = await mailsTo('second.buyer@example.com', 1);
	await mailsTo(ADMIN, 3);
	const html = await (await victim.get('/dev/mailbox')).text();
	expect(html).toContain(`href="/dev/mailbox/${welcome.id}"`);
	expect(html).not.toContain(ADMIN);
	const admins = mails().filter((m) => m.to_email === ADMIN);
	for (const mail of admins) expect((await victim.get(`/dev/mailbox/${mail.id}`)).status).toBe(404);
});

test('the mailbox cookie is HttpOnly and Secure, stored only as a hash, and a copied hash opens nothing', async () => {
	const browser = new Browser(server.origin);
	const res = await post(browser, '/login', { email: 'careful@example.com' });
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('demo_mailbox='));
	expect(cookie).toMatch(/; HttpOnly/i);
	expect(cookie).toMatch(/; Secure/i);
	expect(cookie).toMatch(/; SameSite=Lax/i);
	const secret = browser.cookies.get('demo_mailbox')!;
	const owner = server.db
		.prepare('select browser_hash from demo_mailbox_owners where email = ?')
		.get('careful@example.com') as { browser_hash: string };
	expect(owner.browser_hash).toBe(sha256(secret));
	expect(JSON.stringify(server.db.prepare('select * from demo_mailbox_owners').all())).not.toContain(secret);

	const [mail] = await mailsTo('careful@example.com', 1);
	expect((await browser.get(`/dev/mailbox/${mail.id}`)).status).toBe(200);
	const forger = new Browser(server.origin);
	forger.cookies.set('demo_mailbox', owner.browser_hash);
	expect((await forger.get(`/dev/mailbox/${mail.id}`)).status).toBe(404);
	expect(await (await forger.get('/dev/mailbox')).text()).not.toContain('careful@example.com');
});
