// The migrations on a database with rows in it (the upgrade a running store makes), and the CHECKs they add.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';

const MIGRATIONS = resolve(import.meta.dirname, '../../migrations');
const dir = mkdtempSync(join(tmpdir(), 'store-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Journal {
	entries: { idx: number; tag: string }[];
}

/** A copy of migrations/ that stops after migration `last`: the database of a store not yet upgraded. */
function migrationsUpTo(last: number): string {
	const folder = join(dir, `migrations-${last}`);
	mkdirSync(join(folder, 'meta'), { recursive: true });
	const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as Journal;
	const entries = journal.entries.filter((e) => e.idx <= last);
	for (const e of entries) cpSync(join(MIGRATIONS, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
	writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
	return folder;
}

test('0005 carries every row over: outbox states move from last_error to status, currencies to capitals, enrolments keep their orders', () => {
	const path = join(dir, 'upgrade.db');
	const old = openDatabase(path, migrationsUpTo(4)).$client;
	const later = Date.now() + 24 * 60 * 60 * 1000;
	old.exec(`
		insert into users (id, email) values (1, 'a@example.com'), (2, 'b@example.com');
		insert into orders (id, checkout_session_id, user_id, amount, currency, buyer_email) values
			(1, 'cs_1', 1, 150000, 'bdt', 'a@example.com'), (2, 'cs_2', 2, 5000, 'USD', 'b@example.com');
		insert into enrolments (user_id, order_id, status, revoked_reason) values (1, 1, 'active', null), (2, 2, 'revoked', 'refunded');
		insert into demo_checkout_sessions (id, course_id, amount, currency) values ('demo_1', 'course', 150000, 'bdt');
		insert into outbox (idempotency_key, template, to_email, status, due_at, last_error, batch_id) values
			('waits', 'student/06', 'a@example.com', 'pending', ${later}, 'waiting for course_done', null),
			('stopped-run', 'lead/02', 'a@example.com', 'skipped', ${later}, 'sequence stopped: purchased', null),
			('unsubscribed', 'lead/03', 'a@example.com', 'skipped', ${later}, 'suppressed: unsubscribed', null),
			('bounced', 'lead/04', 'b@example.com', 'skipped', ${later}, 'suppressed: bounced', null),
			('skip-if', 'student/01', 'a@example.com', 'skipped', 0, 'skip_if lesson_done rice', null),
			('retry', 'login-link', 'a@example.com', 'pending', 0, '500 internal_server_error: down', 'batch-1'),
			('sent', 'login-link', 'a@example.com', 'sent', 0, null, 'batch-2');
	`);
	old.close();

	const client = openDatabase(path).$client;
	expect(client.prepare('select idempotency_key as key, status from outbox order by id').all()).toEqual([
		{ key: 'waits', status: 'waiting' },
		{ key: 'stopped-run', status: 'stopped' },
		{ key: 'unsubscribed', status: 'stopped' },
		{ key: 'bounced', status: 'skipped' },
		{ key: 'skip-if', status: 'skipped' },
		{ key: 'retry', status: 'pending' },
		{ key: 'sent', status: 'sent' }
	]);
	expect(client.prepare('select id, currency from orders order by id').all()).toEqual([
		{ id: 1, currency: 'BDT' },
		{ id: 2, currency: 'USD' }
	]);
	expect(client.prepare('select currency from demo_checkout_sessions').all()).toEqual([{ currency: 'BDT' }]);
	expect(client.prepare('select user_id, order_id, status, revoked_reason from enrolments order by id').all()).toEqual([
		{ user_id: 1, order_id: 1, status: 'active', revoked_reason: null },
		{ user_id: 2, order_id: 2, status: 'revoked', revoked_reason: 'refunded' }
	]);
	expect(client.pragma('foreign_key_check')).toEqual([]);
	// Nothing of the rebuild is left behind.
	const tables = client.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
	expect(tables.filter((t) => t.name.startsWith('__') && t.name !== '__drizzle_migrations')).toEqual([]);
	client.close();
});

test('the database refuses a state that does not exist and a currency in small letters', () => {
	const client = openDatabase(join(dir, 'checks.db')).$client;
	client.exec(`
		insert into users (id, email) values (1, 'a@example.com');
		insert into orders (id, checkout_session_id, user_id, amount, currency, buyer_email) values (1, 'cs_1', 1, 1, 'BDT', 'a@example.com');
	`);
	// Each write is accepted with a real value and refused with one that does not exist (@v also keeps the keys apart).
	const writes: [statement: string, good: string, bad: string][] = [
		[
			"insert into outbox (idempotency_key, template, to_email, status) values (@v, 'login-link', 'a@example.com', @v)",
			'waiting',
			'delayed'
		],
		[
			"insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version) values (@v, @v, 0, '/', 'f', 'v')",
			'confirmed',
			'maybe'
		],
		["insert into sequence_runs (sequence, email, started_at, status) values ('lead', @v, 0, @v)", 'stopped', 'done'],
		[
			"insert into demo_checkout_sessions (id, course_id, amount, currency, status) values (@v, 'c', 1, 'BDT', @v)",
			'complete',
			'paid'
		],
		[
			"insert into demo_checkout_sessions (id, course_id, amount, currency) values ('demo-' || @v, 'c', 1, @v)",
			'USD',
			'usd'
		],
		["insert into suppressions (email, reason) values ('a@example.com', @v)", 'bounced', 'annoyed'],
		[
			"insert into orders (checkout_session_id, user_id, amount, buyer_email, currency) values (@v, 1, 1, 'a@example.com', @v)",
			'BDT',
			'bdt'
		],
		['insert into enrolments (user_id, order_id, status) values (1, 1, @v)', 'revoked', 'paused']
	];
	for (const [statement, good, bad] of writes) {
		const insert = client.prepare(statement);
		expect(() => insert.run({ v: good }), statement).not.toThrow();
		expect(() => insert.run({ v: bad }), statement).toThrow(/CHECK constraint failed/);
	}
	client.close();
});
