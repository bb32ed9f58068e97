// The overview's stored totals (migration 0013): after writes through every path the store has, and after the
// migration's backfill of a database that already has rows, they equal the same numbers counted from the rows.
import type Database from 'better-sqlite3';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { startStripeStore, theCourse } from '../payments/setup';
import type { CheckoutSession, FakeStripe } from '../support/fake-stripe';
import { Browser } from '../support/http';
import type { TestServer } from '../support/server';
import { charge, deliver, dispute, stripeEvent } from '../support/stripe-events';
import { signIn, submit } from '../support/students';
import { importCsv } from '../support/list-import';

const ADMIN = 'seller@example.com';
const HTML = { accept: 'text/html' };
const DAY = 24 * 60 * 60 * 1000;
const DHAKA = 6 * 60 * 60 * 1000;
/** A local midnight in Dhaka: 18:00 UTC the day before. */
const MIDNIGHT = Date.UTC(2026, 10, 30, 18);

/** The stored totals next to the same numbers counted from the rows by a plain GROUP BY. */
function storedAndCounted(db: Database.Database): { stored: unknown; counted: unknown } {
	const rows = (sql: string) => db.prepare(sql).all();
	const withRefund = `select o.*, coalesce(s.refunded <> 0, 0) as r from orders o
		left join payment_states s on s.payment_intent_id = o.payment_intent_id`;
	return {
		stored: {
			list: rows('select status, n from list_counts where n <> 0 order by status'),
			enrolments: rows('select status, n from enrolment_counts where n <> 0 order by status'),
			lessons: rows('select lesson_slug, n from lesson_completions where n <> 0 order by lesson_slug'),
			buckets: rows(`select bucket, currency, method, orders, sales, revenue, refunded from sales_buckets
				where orders <> 0 order by 1, 2, 3`),
			totals: rows(`select currency, method, orders, sales, revenue, refunded from sales_totals
				where orders <> 0 order by 1, 2`),
			days: rows(`select day, currency, method, orders, sales, revenue, refunded from sales_days
				where orders <> 0 order by 1, 2, 3`),
			subscriberDays: rows(`select day, signups, confirmations, still_confirmed from subscriber_days
				where signups <> 0 or confirmations <> 0 order by day`),
			sourceDays: rows(`select day, source, signups, confirmations, purchases from source_days
				where signups <> 0 or confirmations <> 0 or purchases <> 0 order by day, source`)
		},
		counted: {
			list: rows('select status, count(*) as n from subscribers group by status order by status'),
			enrolments: rows('select status, count(*) as n from enrolments group by status order by status'),
			lessons: rows(`select p.lesson_slug, count(*) as n from progress p
				join enrolments e on e.user_id = p.user_id and e.status = 'active'
				where p.completed_at is not null group by p.lesson_slug order by p.lesson_slug`),
			buckets: rows(`select created_at - created_at % 900000 as bucket, currency, method, count(*) as orders,
				sum(1 - r) as sales, sum((1 - r) * amount) as revenue, sum(r) as refunded
				from (${withRefund}) group by 1, 2, 3 order by 1, 2, 3`),
			totals: rows(`select currency, method, count(*) as orders, sum(1 - r) as sales,
				sum((1 - r) * amount) as revenue, sum(r) as refunded from (${withRefund}) group by 1, 2 order by 1, 2`),
			// Each order on the local day of its own time, in the store's zone (Asia/Dhaka, +6 h, in every test here).
			days: rows(`select (created_at + ${DHAKA}) / ${DAY} * ${DAY} - ${DHAKA} as day, currency, method,
				count(*) as orders, sum(1 - r) as sales, sum((1 - r) * amount) as revenue, sum(r) as refunded
				from (${withRefund}) group by 1, 2, 3 order by 1, 2, 3`),
			// Signups on the local day they were made, confirmations on the local day they were confirmed.
			subscriberDays: rows(`select day, sum(signups) as signups, sum(confirmations) as confirmations,
				sum(still) as still_confirmed from (
					select (created_at + ${DHAKA}) / ${DAY} * ${DAY} - ${DHAKA} as day, 1 as signups, 0 as confirmations, 0 as still
					from subscribers
					union all
					select (confirmed_at + ${DHAKA}) / ${DAY} * ${DAY} - ${DHAKA}, 0, 1, status = 'confirmed'
					from subscribers where confirmed_at is not null
				) group by day order by day`),
			// The same per entry source, and every order on its day; rows without a source under '(unknown)'.
			sourceDays: rows(`select day, source, sum(signups) as signups, sum(confirmations) as confirmations,
				sum(purchases) as purchases from (
					select (created_at + ${DHAKA}) / ${DAY} * ${DAY} - ${DHAKA} as day, coalesce(source, '(unknown)') as source,
						1 as signups, 0 as confirmations, 0 as purchases from subscribers
					union all
					select (confirmed_at + ${DHAKA}) / ${DAY} * ${DAY} - ${DHAKA}, coalesce(source, '(unknown)'), 0, 1, 0
					from subscribers where confirmed_at is not null
					union all
					select (created_at + ${DHAKA}) / ${DAY} * ${DAY} - ${DHAKA}, coalesce(source, '(unknown)'), 0, 0, 1 from orders
				) group by day, source order by day, source`)
		}
	};
}

describe('through the store', () => {
	let server: TestServer;
	let fake: FakeStripe;
	beforeAll(async () => ({ server, fake } = await startStripeStore({ ADMIN_EMAILS: ADMIN })));
	afterAll(async () => {
		await server?.stop();
		await fake?.stop();
	});

	const paidSession = (email: string): CheckoutSession => fake.paidCourseSession(theCourse, { email });
	async function send(type: string, object: unknown): Promise<void> {
		expect((await deliver(server.origin, stripeEvent(type, object).body)).status).toBe(200);
	}
	const userId = (email: string): number =>
		(server.db.prepare('select id from users where email = ?').get(email) as { id: number }).id;
	/** Waits for the server's sender to put a mail for `to` in the demo mailbox, with `like` in its headers or text. */
	async function mailFor(to: string, like: string): Promise<{ text: string; headers: string }> {
		const deadline = Date.now() + 10_000;
		for (;;) {
			const mail = server.db
				.prepare('select * from demo_mailbox where to_email = ? and (headers || text) like ? order by id desc limit 1')
				.get(to, `%${like}%`) as { text: string; headers: string } | undefined;
			if (mail) return mail;
			if (Date.now() > deadline) throw new Error(`no mail with "${like}" for ${to}:\n${server.output()}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}
	const open = theCourse.lessons.filter((l) => l.dripDay === 0).slice(0, 2);

	it('stay equal to the rows after sales, a refund, a wallet approval, a manual enrolment, a revoke, lessons, the list and an import', async () => {
		expect(open, 'the fixture course has two lessons open on the first day').toHaveLength(2);
		const admin = await signIn(server, ADMIN);

		// Two Stripe sales; the first buyer finishes both open lessons, the second is disputed, then refunded in full.
		const kept = paidSession('card.buyer@example.com');
		const refunded = paidSession('refunded.buyer@example.com');
		await send('checkout.session.completed', kept);
		await send('checkout.session.completed', refunded);
		const card = await signIn(server, 'card.buyer@example.com');
		for (const l of open) expect((await submit(card, `/lessons/${l.slug}?/done`)).status).toBeLessThan(400);
		await send('charge.dispute.created', dispute(refunded.payment_intent!, 'needs_response', theCourse.price));
		await send('charge.refunded', charge(refunded.payment_intent!, theCourse.price, theCourse.price));

		// A bKash claim the seller approves; that buyer finishes a lesson, then marks it not done, then another.
		const bkash = { email: 'wallet.buyer@example.com', name: 'ক্রেতা', trx_id: 'BTOTALS001', sender: '01712345678' };
		expect((await new Browser(server.origin).post('/pay/bkash', bkash, HTML)).status).toBe(200);
		const claim = server.db.prepare("select id from wallet_claims where trx_id = 'BTOTALS001'").get() as { id: number };
		expect((await admin.post('/admin/payments?/approve', { id: String(claim.id) }, HTML)).status).toBe(200);
		const wallet = await signIn(server, bkash.email);
		await submit(wallet, `/lessons/${open[0].slug}?/done`);
		await submit(wallet, `/lessons/${open[0].slug}?/undo`);
		await submit(wallet, `/lessons/${open[1].slug}?/done`);

		// A buyer enrolled by hand, and the card buyer's access revoked: their finished lessons stop counting.
		const cash = { email: 'cash.buyer@example.com', name: 'নগদ', amount: '১৫০০', currency: 'bdt', reference: 'রসিদ ১' };
		expect((await submit(admin, '/admin/students?/enrol', { ...cash, confirm: '1' })).status).toBe(303);
		const revoke = { reason: 'চার্জব্যাক', confirm: '1' };
		const card_id = userId('card.buyer@example.com');
		expect((await submit(admin, `/admin/students/${card_id}?/revoke`, revoke)).status).toBe(200);

		// The list: two signups, one confirmed through its mail, then unsubscribed in one click from a lead mail.
		const reader = new Browser(server.origin);
		for (const email of ['stays.pending@example.com', 'leaves@example.com'])
			expect(
				(
					await reader.post(
						'/subscribe',
						{ email, name: 'পাঠক', form: 'sales-page', page: '/', consent: '2026-11-bn-1' },
						HTML
					)
				).status
			).toBe(200);
		const confirmation = await mailFor('leaves@example.com', '/subscribe/confirm');
		const confirm = new URL(/https?:\/\/[^\s)]+\/subscribe\/confirm[^\s)]*/.exec(confirmation.text)![0]);
		expect((await reader.post(confirm.pathname + confirm.search, {}, HTML)).status).toBe(200);
		const lead = await mailFor('leaves@example.com', 'List-Unsubscribe');
		const unsubscribe = (JSON.parse(lead.headers) as Record<string, string>)['List-Unsubscribe'].slice(1, -1);
		const oneClick = await fetch(unsubscribe, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'List-Unsubscribe=One-Click'
		});
		expect(oneClick.status).toBe(200);
		expect(server.db.prepare("select status from subscribers where email = 'leaves@example.com'").get()).toEqual({
			status: 'unsubscribed'
		});

		// An import by the seller: two confirmed addresses at once.
		const csv = 'email,name\nimported.one@example.com,এক\nimported.two@example.com,দুই\n';
		expect(await importCsv(admin, 'totals.csv', csv)).toBe(200);
		expect(server.db.prepare("select count(*) as n from subscribers where consent_form = 'import'").get()).toEqual({
			n: 2
		});

		expect(server.db.prepare('select offset_ms from sales_day_zone').all()).toEqual([{ offset_ms: DHAKA }]);
		const { stored, counted } = storedAndCounted(server.db);
		expect(stored).toEqual(counted);
		// The writes above reached every kind of total, so an equality of empty tables proves nothing here.
		const s = stored as Record<string, unknown[]>;
		expect(s.totals.length).toBeGreaterThanOrEqual(3);
		expect(s.lessons.length).toBeGreaterThan(0);
		expect(s.list.length).toBe(3);
		expect(s.days.length).toBeGreaterThanOrEqual(3);
		// Four signups, three confirmations (one since unsubscribed): all of today, whatever day today is.
		expect(
			server.db
				.prepare('select sum(signups) s, sum(confirmations) c, sum(still_confirmed) k from subscriber_days')
				.get()
		).toEqual({ s: 4, c: 3, k: 2 });
		expect(server.db.prepare('select sum(refunded) as n from sales_totals').get()).toEqual({ n: 1 });
	});

	it('are what the overview shows: three sales kept, the refunded one out, and the list in its funnel', async () => {
		const admin = await signIn(server, ADMIN);
		const html = await (await admin.get('/admin')).text();
		const today = html.slice(html.indexOf('id="periods"')).split('class="card"')[1];
		expect(today).toContain('৩টি বিক্রি');
		// The list from subscriber_days: four signups, three confirmations, two of them still confirmed; the funnel leaves
		// out the two addresses the import added, which joined another list.
		const step = (label: string): string | undefined =>
			new RegExp(`<td data-label="ধাপ">${label}</td>\\s*<td data-label="সংখ্যা">([^<]*)</td>`).exec(html)?.[1];
		expect([step('ইমেইল দিয়েছেন'), step('নিশ্চিত করেছেন')]).toEqual(['২', '১']);
		expect(html).toContain('(গত ৭ দিনে ২)');
	});
});

describe('the migration', () => {
	const MIGRATIONS = resolve(import.meta.dirname, '../../migrations');
	const dir = mkdtempSync(join(tmpdir(), 'store-totals-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	/** A copy of migrations/ that stops before the stored totals: the database of a store not yet upgraded. */
	function migrationsBefore(tag: string): string {
		const folder = join(dir, 'migrations');
		mkdirSync(join(folder, 'meta'), { recursive: true });
		const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as {
			entries: { idx: number; tag: string }[];
		};
		const last = journal.entries.findIndex((e) => e.tag === tag);
		expect(last, tag).toBeGreaterThan(0);
		const entries = journal.entries.slice(0, last);
		for (const e of entries) cpSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
		writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
		return folder;
	}

	it('backfills from the rows already there, then its triggers keep the totals', () => {
		const path = join(dir, 'upgrade.db');
		const old = openDatabase(path, migrationsBefore('0013_stored_desk_totals')).$client;
		const day = 24 * 60 * 60 * 1000;
		old.exec(`
			insert into users (id, email, created_at) values (1, 'a@example.com', 1), (2, 'b@example.com', 1),
				(3, 'c@example.com', 1), (4, 'd@example.com', 1);
			insert into orders (id, method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, created_at) values
				(1, 'stripe', 'cs_1', 'pi_1', 1, 150000, 'BDT', 'a@example.com', ${Date.now()}),
				(2, 'stripe', 'cs_2', 'pi_2', 2, 150000, 'BDT', 'b@example.com', ${Date.now() - 3 * day}),
				(3, 'bkash', null, null, 3, 152000, 'BDT', 'c@example.com', ${Date.now() - 40 * day}),
				(4, 'stripe', 'cs_4', 'pi_4', 4, 5000, 'USD', 'd@example.com', ${Date.now() - 400 * day}),
				(5, 'bkash', null, null, 4, 152000, 'BDT', 'd@example.com', ${MIDNIGHT - 1}),
				(6, 'bkash', null, null, 4, 152000, 'BDT', 'd@example.com', ${MIDNIGHT});
			insert into payment_states (payment_intent_id, refunded, updated_at) values ('pi_1', 0, 1), ('pi_2', 1, 1), ('pi_9', 1, 1);
			insert into enrolments (user_id, order_id, status, enrolled_at, updated_at) values
				(1, 1, 'active', 1, 1), (2, 2, 'revoked', 1, 1), (3, 3, 'active', 1, 1);
			insert into progress (user_id, lesson_slug, first_viewed_at, last_viewed_at, completed_at) values
				(1, 'one', 1, 1, 2), (1, 'two', 1, 1, null), (2, 'one', 1, 1, 2), (3, 'one', 1, 1, 2), (3, 'two', 1, 1, 2);
			insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, created_at) values
				('p@example.com', 'pending', 1, '/', 'sales-page', 'v', 1), ('q@example.com', 'confirmed', 1, '/', 'sales-page', 'v', 1),
				('r@example.com', 'confirmed', 1, '/', 'sales-page', 'v', 1), ('s@example.com', 'unsubscribed', 1, '/', 'sales-page', 'v', 1);
		`);
		old.close();

		const client = openDatabase(path).$client;
		const backfilled = storedAndCounted(client);
		expect(backfilled.stored).toEqual(backfilled.counted);
		expect((backfilled.stored as Record<string, unknown[]>).lessons).toEqual([
			{ lesson_slug: 'one', n: 2 },
			{ lesson_slug: 'two', n: 1 }
		]);
		expect((backfilled.stored as Record<string, unknown[]>).buckets).toHaveLength(6);
		// A minute before and at local midnight: two days, though one UTC date.
		const bkashDays = (at: Database.Database) =>
			at
				.prepare("select day, orders from sales_days where method = 'bkash' and day >= ? order by day")
				.all(MIDNIGHT - day);
		expect(bkashDays(client)).toEqual([
			{ day: MIDNIGHT - day, orders: 1 },
			{ day: MIDNIGHT, orders: 1 }
		]);
		client.exec(`
			update payment_states set refunded = 1 where payment_intent_id = 'pi_1';
			update enrolments set status = 'active' where user_id = 2;
			update subscribers set status = 'unsubscribed' where email = 'q@example.com';
			delete from progress where user_id = 3 and lesson_slug = 'two';
			insert into orders (id, method, checkout_session_id, payment_intent_id, user_id, amount, currency, buyer_email, created_at) values
				(7, 'bkash', null, null, 4, 152000, 'BDT', 'd@example.com', ${MIDNIGHT - 1}),
				(8, 'stripe', 'cs_8', 'pi_8', 4, 5000, 'USD', 'd@example.com', ${MIDNIGHT + day - 1});
			insert into payment_states (payment_intent_id, refunded, updated_at) values ('pi_8', 1, 1);
			update orders set created_at = ${MIDNIGHT} where id = 5;
			update orders set source = 'fb' where id = 7;
			delete from orders where id = 6;
		`);
		expect(bkashDays(client)).toEqual([
			{ day: MIDNIGHT - day, orders: 1 },
			{ day: MIDNIGHT, orders: 1 }
		]);
		const after = storedAndCounted(client);
		expect(after.stored).toEqual(after.counted);
		client.close();
	});

	it('cuts signups and confirmations into local days, backfilled, then kept through each change to the list', () => {
		const path = join(dir, 'subscribers.db');
		const old = openDatabase(path, migrationsBefore('0015_stored_subscriber_days')).$client;
		const columns =
			'email, status, consent_at, consent_page, consent_form, consent_text_version, created_at, confirmed_at';
		old.exec(`insert into subscribers (${columns}) values
			('a@example.com', 'pending', 1, '/', 'sales-page', 'v', ${MIDNIGHT - 1}, null),
			('b@example.com', 'confirmed', 1, '/', 'sales-page', 'v', ${MIDNIGHT - 1}, ${MIDNIGHT}),
			('c@example.com', 'unsubscribed', 1, '/', 'sales-page', 'v', ${MIDNIGHT}, ${MIDNIGHT + 1}),
			('d@example.com', 'confirmed', 1, '/', 'import', 'v', ${MIDNIGHT + DAY - 1}, ${MIDNIGHT + DAY - 1});`);
		old.close();

		const client = openDatabase(path).$client;
		const days = () =>
			client
				.prepare(
					`select day, signups, confirmations, still_confirmed as still from subscriber_days
					where signups <> 0 or confirmations <> 0 order by day`
				)
				.all();
		// A millisecond before local midnight is the day before, though the same UTC date.
		expect(days()).toEqual([
			{ day: MIDNIGHT - DAY, signups: 2, confirmations: 0, still: 0 },
			{ day: MIDNIGHT, signups: 2, confirmations: 3, still: 2 }
		]);
		const backfilled = storedAndCounted(client);
		expect(backfilled.stored).toEqual(backfilled.counted);

		// A confirmation the next day, an unsubscribe, a return, a change the counts ignore, a delete and a signup.
		client.exec(`
			update subscribers set status = 'confirmed', confirmed_at = ${MIDNIGHT + DAY} where email = 'a@example.com';
			update subscribers set status = 'unsubscribed', unsubscribed_at = ${MIDNIGHT + DAY} where email = 'b@example.com';
			update subscribers set status = 'confirmed', unsubscribed_at = null where email = 'c@example.com';
			update subscribers set confirm_queued_at = ${MIDNIGHT + DAY} where email = 'd@example.com';
			update subscribers set source = 'fb' where email = 'c@example.com';
			delete from subscribers where email = 'd@example.com';
			insert into subscribers (${columns}) values
				('e@example.com', 'confirmed', 1, '/', 'sales-page', 'v', ${MIDNIGHT + DAY}, ${MIDNIGHT + DAY});
		`);
		expect(days()).toEqual([
			{ day: MIDNIGHT - DAY, signups: 2, confirmations: 0, still: 0 },
			{ day: MIDNIGHT, signups: 1, confirmations: 2, still: 1 },
			{ day: MIDNIGHT + DAY, signups: 1, confirmations: 2, still: 2 }
		]);
		const after = storedAndCounted(client);
		expect(after.stored).toEqual(after.counted);
		client.close();
	});
});
