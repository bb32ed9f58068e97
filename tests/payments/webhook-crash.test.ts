import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeStripe } from '../support/fake-stripe';
import { launchApp } from '../support/server';
import { deliver, stripeEvent, WEBHOOK_SECRET } from '../support/stripe-events';
import { theCourse } from './setup';

/**
 * A 200 to Stripe only once the order is committed: a store killed while its fulfilment waits to commit leaves
 * no order and gives Stripe no 2xx, so Stripe sends the event again, and the redelivery fulfils it once.
 */
let fake: FakeStripe;
const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
const dbPath = join(dir, 'store.db');
const env = { STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };

beforeAll(async () => (fake = await FakeStripe.start()));
afterAll(async () => {
	await fake?.stop();
	rmSync(dir, { recursive: true, force: true });
});

it('a store killed before the order is committed answers no 2xx and writes nothing; the redelivery fulfils once', async () => {
	const first = await launchApp(dbPath, { ...env, STRIPE_API_BASE: fake.url });
	const session = fake.paidCourseSession(theCourse, { email: 'crash@example.com' });
	const event = stripeEvent('checkout.session.completed', session);
	const db = new Database(dbPath);
	const orders = () =>
		(db.prepare('select count(*) as n from orders where checkout_session_id = ?').get(session.id) as { n: number }).n;

	// Another writer holds the database, so the store's fulfilment waits to commit; then the store dies.
	db.exec('begin immediate');
	const answer = deliver(first.origin, event.body).then(
		(res) => res.status,
		() => 'no answer'
	);
	// The store read the session from Stripe (outside its transaction) and now waits for the write lock.
	for (const until = Date.now() + 20_000; !fake.requests.some((r) => r.path.includes(session.id));) {
		if (Date.now() > until) throw new Error('the store never read the session');
		await new Promise((r) => setTimeout(r, 20));
	}
	process.kill(first.pid, 'SIGKILL');
	expect(await answer).toBe('no answer');
	db.exec('rollback');
	expect(orders()).toBe(0);

	// Stripe retries the same event: one order, and a second retry changes nothing.
	const second = await launchApp(dbPath, { ...env, STRIPE_API_BASE: fake.url });
	try {
		expect((await deliver(second.origin, event.body)).status).toBe(200);
		expect((await deliver(second.origin, event.body)).status).toBe(200);
		expect(orders()).toBe(1);
	} finally {
		db.close();
		await second.stop();
	}
});
