// A buyer who left Stripe's checkout: one reminder with Stripe's recovery link after the delay of the fixture's
// recovery/stripe.md, only with their consent or a confirmed subscription, never after a purchase, never twice.
// Time moves by dating the outbox row, then one `npm run drip` pass sends what is due to the fake Resend.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CheckoutSession, FakeStripe } from '../support/fake-stripe';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startDrip } from '../support/mail-env';
import type { TestServer } from '../support/server';
import { deliver, stripeEvent, WEBHOOK_SECRET } from '../support/stripe-events';
import { HTML, startStripeStore, theCourse } from './setup';

const POSTAL = 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫';
const reminder = fixtureCourse().course.recovery.stripe!;
let server: TestServer;
let fake: FakeStripe;
let resend: FakeResend;
let mailEnv: Record<string, string>;

beforeAll(async () => {
	resend = await startFakeResend();
	mailEnv = { RESEND_API_KEY: 're_test_recovery', RESEND_BASE_URL: resend.url, MAIL_POSTAL_ADDRESS: POSTAL };
	({ server, fake } = await startStripeStore(mailEnv));
});
afterAll(async () => {
	await server?.stop();
	await fake?.stop();
	await resend?.close();
});

/** The buyer presses the buy button: the store creates a session at the fake Stripe. */
async function startCheckout(): Promise<string> {
	const res = await new Browser(server.origin).post('/checkout', {}, HTML);
	expect(res.status).toBe(303);
	const id = /cs_test_\w+/.exec(res.headers.get('location') ?? '')?.[0];
	expect(id).toBeDefined();
	return id!;
}

/** The buyer types their email on Stripe's page, answers the promotions box (or not) and leaves; the session expires. */
async function abandon(email: string, promotions?: 'opt_in' | 'opt_out'): Promise<CheckoutSession> {
	return fake.expire(await startCheckout(), { email, promotions });
}

async function deliverEvent(type: string, object: unknown, id?: string): Promise<void> {
	const event = stripeEvent(type, object, id);
	const res = await deliver(server.origin, event.body);
	expect(res.status, await res.text()).toBe(200);
}

const keyOf = (s: CheckoutSession) => `recovery:stripe:${s.id}`;
const row = (key: string) =>
	server.db.prepare('select status, due_at, created_at, last_error from outbox where idempotency_key = ?').get(key) as
		{ status: string; due_at: number; created_at: number; last_error: string | null } | undefined;

/** One pass of the scheduler, as cron runs it, against the store's database. */
async function drip(): Promise<void> {
	const run = await startDrip({
		DATABASE_PATH: server.dbPath,
		ORIGIN: server.origin,
		STRIPE_SECRET_KEY: 'sk_test_x',
		STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
		STRIPE_API_BASE: fake.url,
		...mailEnv
	}).done;
	expect(run.code, run.output).toBe(0);
}

/** The reminder's delay has passed. */
const delayPasses = (key: string) =>
	server.db.prepare('update outbox set due_at = ? where idempotency_key = ?').run(Date.now() - 1, key);

test('checkout sessions are created with recovery links, Stripe’s promotions consent box and an hour to pay', async () => {
	const before = Math.floor(Date.now() / 1000);
	const session = await abandon('params@example.com');
	expect(session.expires_at).toBeGreaterThanOrEqual(before + 3600);
	expect(session.expires_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
	expect(session.after_expiration?.recovery?.enabled).toBe(true);
	expect(session.consent_collection?.promotions).toBe('auto');
	const create = fake.requests.findLast((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
	expect(create?.params).toMatchObject({
		after_expiration: { recovery: { enabled: 'true' } },
		consent_collection: { promotions: 'auto' }
	});
});

test('an expired session with consent: one reminder with the recovery link, after the delay and not before', async () => {
	const email = 'left.page@example.com';
	const session = await abandon(email, 'opt_in');
	const before = Date.now();
	await deliverEvent('checkout.session.expired', session);
	const queued = row(keyOf(session));
	expect(queued?.status).toBe('pending');
	expect(queued!.due_at).toBeGreaterThanOrEqual(before + reminder.delayMs);
	expect(queued!.due_at).toBeLessThanOrEqual(Date.now() + reminder.delayMs);

	await drip();
	expect(resend.delivered.get(keyOf(session))).toBeUndefined();
	delayPasses(keyOf(session));
	await drip();
	expect(resend.delivered.get(keyOf(session))).toBe(1);
	const mail = resend.mails.get(keyOf(session))!;
	expect(mail.to).toEqual([email]);
	expect(mail.subject).toBe(reminder.subject.replace('{{course_title}}', theCourse.title));
	const url = session.after_expiration!.recovery!.url!;
	expect(mail.text).toContain(url);
	expect(mail.html).toContain(`href="${url}"`);
	// A marketing mail: one-click unsubscribe, the postal address and why the reader gets it.
	expect(mail.headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=/);
	expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
	expect(mail.text).toContain(POSTAL);
	expect(mail.text).toContain('সম্মতি দিয়েছিলেন');
});

test('without consent no reminder is queued; a confirmed subscriber gets one without the box', async () => {
	const declined = await abandon('declined@example.com', 'opt_out');
	const unasked = await abandon('unasked@example.com');
	await deliverEvent('checkout.session.expired', declined);
	await deliverEvent('checkout.session.expired', unasked);
	expect(row(keyOf(declined))).toBeUndefined();
	expect(row(keyOf(unasked))).toBeUndefined();

	server.db
		.prepare(
			"insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at) values (?, 'confirmed', 1, '/', 'sales-page', '2026-11-bn-1', 1)"
		)
		.run('reader@example.com');
	const subscriber = await abandon('reader@example.com', 'opt_out');
	await deliverEvent('checkout.session.expired', subscriber);
	expect(row(keyOf(subscriber))?.status).toBe('pending');
	delayPasses(keyOf(subscriber));
	await drip();
	expect(resend.mails.get(keyOf(subscriber))?.text).toContain('ইমেইল তালিকায় আছেন');
});

test('a buyer who bought in between gets no reminder: not when it is due, nor when they bought first', async () => {
	const email = 'came.back@example.com';
	const session = await abandon(email, 'opt_in');
	await deliverEvent('checkout.session.expired', session);
	expect(row(keyOf(session))?.status).toBe('pending');

	// They came back by themselves and paid in a new checkout.
	await deliverEvent('checkout.session.completed', fake.pay(await startCheckout(), { email }));
	delayPasses(keyOf(session));
	await drip();
	expect(row(keyOf(session))).toMatchObject({ status: 'skipped', last_error: 'bought the course' });
	expect(resend.delivered.get(keyOf(session))).toBeUndefined();

	// An older session that expires after the purchase queues nothing.
	const older = await abandon(email, 'opt_in');
	await deliverEvent('checkout.session.expired', older);
	expect(row(keyOf(older))).toBeUndefined();
});

test('the event delivered three times, and a second event for the session, queue and send one reminder', async () => {
	const session = await abandon('thrice@example.com', 'opt_in');
	const id = `evt_expired_${session.id.slice(-8)}`;
	for (let i = 0; i < 3; i++) await deliverEvent('checkout.session.expired', session, id);
	await deliverEvent('checkout.session.expired', session);
	expect(server.db.prepare("select count(*) as n from outbox where to_email = 'thrice@example.com'").get()).toEqual({
		n: 1
	});
	delayPasses(keyOf(session));
	await drip();
	await drip();
	expect(resend.delivered.get(keyOf(session))).toBe(1);
	// Another checkout left the same day: still one reminder for the address.
	const second = await abandon('thrice@example.com', 'opt_in');
	await deliverEvent('checkout.session.expired', second);
	expect(row(keyOf(second))).toBeUndefined();
});
