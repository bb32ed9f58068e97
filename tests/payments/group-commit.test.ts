import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { groupWriter } from '../../src/lib/server/db/group-write';
import type { FakeStripe } from '../support/fake-stripe';
import type { TestServer } from '../support/server';
import { deliver, stripeEvent } from '../support/stripe-events';
import { count, startStripeStore, theCourse } from './setup';

/**
 * Fulfilments share a transaction (one fsync for many deliveries), each in its own savepoint: whatever lands in one
 * group, every paid session gets one order, one enrolment and one welcome mail, and one that fails loses only itself.
 */
describe('webhook deliveries committed in groups', () => {
	let server: TestServer;
	let fake: FakeStripe;
	beforeAll(async () => ({ server, fake } = await startStripeStore()));
	afterAll(async () => {
		await server?.stop();
		await fake?.stop();
	});

	const paidSession = (email: string) => fake.paidCourseSession(theCourse, { email });

	it('many concurrent deliveries, duplicates, one malformed and one failing: one order each, none lost', async () => {
		const db = server.db;
		const sessions = Array.from({ length: 40 }, (_, i) => paidSession(`group${i}@example.com`));
		const failing = paidSession('fails@example.com');
		// This buyer's order cannot be written (as a full disk or a broken row would refuse it): its delivery must fail alone.
		db.exec(`create trigger refuse_one_order before insert on orders when new.buyer_email = 'fails@example.com'
			begin select raise(abort, 'refused by the test'); end`);

		const deliveries: { kind: 'sale' | 'malformed' | 'failing'; body: string }[] = [];
		for (const [i, session] of sessions.entries()) {
			const completed = stripeEvent('checkout.session.completed', session);
			// Stripe's retries of one event, and a second event for the same session.
			deliveries.push({ kind: 'sale', body: completed.body }, { kind: 'sale', body: completed.body });
			if (i % 4 === 0)
				deliveries.push({ kind: 'sale', body: stripeEvent('checkout.session.async_payment_succeeded', session).body });
		}
		const failed = stripeEvent('checkout.session.completed', failing);
		deliveries.splice(17, 0, { kind: 'failing', body: failed.body });
		deliveries.splice(31, 0, {
			kind: 'malformed',
			body: stripeEvent('checkout.session.completed', { object: 'checkout.session', id: 42 }).body
		});

		const statuses = await Promise.all(
			deliveries.map(async ({ kind, body }) => {
				const res = await deliver(server.origin, body);
				await res.arrayBuffer();
				return { kind, status: res.status };
			})
		);
		expect(statuses.filter((s) => s.kind === 'sale').every((s) => s.status === 200)).toBe(true);
		expect(statuses.find((s) => s.kind === 'malformed')!.status).toBe(400);
		expect(statuses.find((s) => s.kind === 'failing')!.status).toBe(500);

		const ids = sessions.map((s) => `'${s.id}'`).join(',');
		const perSession = db
			.prepare(
				`select checkout_session_id as id, count(*) as n from orders where checkout_session_id in (${ids})
				group by checkout_session_id`
			)
			.all() as { id: string; n: number }[];
		expect(perSession.length).toBe(sessions.length);
		expect(perSession.every((r) => r.n === 1)).toBe(true);
		const buyers = `(select user_id from orders where checkout_session_id in (${ids}))`;
		expect(count(db, 'enrolments', `user_id in ${buyers} and status = 'active'`)).toBe(sessions.length);
		expect(count(db, 'outbox', `template = 'welcome' and to_email like 'group%@example.com'`)).toBe(sessions.length);

		// Nothing of the failed delivery was kept, so Stripe's retry finds it new…
		expect(count(db, 'orders', `checkout_session_id = '${failing.id}'`)).toBe(0);
		expect(count(db, 'users', `email = 'fails@example.com'`)).toBe(0);
		expect(count(db, 'outbox', `to_email = 'fails@example.com'`)).toBe(0);
		expect(count(db, 'stripe_events', `id = '${failed.id}'`)).toBe(0);

		// …and fulfils it once, with one welcome mail, when the order can be written.
		db.exec('drop trigger refuse_one_order');
		expect((await deliver(server.origin, failed.body)).status).toBe(200);
		expect((await deliver(server.origin, failed.body)).status).toBe(200);
		expect(count(db, 'orders', `checkout_session_id = '${failing.id}'`)).toBe(1);
		expect(count(db, 'outbox', `template = 'welcome' and to_email = 'fails@example.com'`)).toBe(1);
	});
});

describe('groupWriter', () => {
	const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
	let db: Db;
	beforeAll(() => {
		db = openDatabase(join(dir, 'store.db'), resolve('migrations'));
		db.$client.exec('create table group_test (n integer not null unique)');
	});
	afterAll(() => {
		db.$client.close();
		rmSync(dir, { recursive: true, force: true });
	});
	const rows = () =>
		(db.$client.prepare('select n from group_test order by n').all() as { n: number }[]).map((r) => r.n);

	it('commits the writes queued together in one transaction, and a failing one is undone and rejected alone', async () => {
		const write = groupWriter(() => db.$client);
		const insert = db.$client.prepare('insert into group_test (n) values (?)');
		const rowsSoFar = db.$client.prepare('select count(*) as n from group_test').pluck();
		// All queued in one turn of the event loop, so they are one group; the third breaks a constraint halfway.
		const results = await Promise.allSettled([
			write(() => insert.run(1)),
			write(() => insert.run(2)),
			write(() => {
				insert.run(3);
				insert.run(1);
			}),
			write(() => {
				// Inside the group: the rows of the writes before it are there, uncommitted, on this connection.
				expect(db.$client.inTransaction).toBe(true);
				return rowsSoFar.get();
			})
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
		expect((results[3] as PromiseFulfilledResult<unknown>).value).toBe(2);
		expect(rows()).toEqual([1, 2]);
	});

	it('rejects every write of a group whose transaction cannot begin, and writes none', async () => {
		const other = openDatabase(join(dir, 'store.db'), resolve('migrations'));
		const busy = openDatabase(join(dir, 'store.db'), resolve('migrations'));
		busy.$client.pragma('busy_timeout = 0');
		const before = rows();
		// Another writer holds the lock, and this connection does not wait for it.
		other.$client.exec('begin immediate');
		const write = groupWriter(() => busy.$client);
		const insert = busy.$client.prepare('insert into group_test (n) values (?)');
		const results = await Promise.allSettled([write(() => insert.run(10)), write(() => insert.run(11))]);
		other.$client.exec('rollback');
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		expect(rows()).toEqual(before);
		other.$client.close();
		busy.$client.close();
	});
});
