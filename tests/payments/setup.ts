import type Database from 'better-sqlite3';
import type { Course } from '../../src/lib/server/course';
import { FakeStripe } from '../support/fake-stripe';
import { fixtureCourse } from '../support/fixture-course';
import { startServer, type TestServer } from '../support/server';
import { WEBHOOK_SECRET } from '../support/stripe-events';

/** The course the server sells (the tests' own), read the way the server reads it. */
export const theCourse: Course = fixtureCourse().course;

/** A browser's form POST asks for HTML; without it SvelteKit answers form actions in JSON. */
export const HTML = { accept: 'text/html' };

/** The built store in Stripe mode, talking to a fresh fake Stripe; env adds to its environment. */
export async function startStripeStore(
	env: Record<string, string> = {}
): Promise<{ server: TestServer; fake: FakeStripe }> {
	const fake = await FakeStripe.start();
	const server = await startServer({
		STRIPE_SECRET_KEY: 'sk_test_x',
		STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
		STRIPE_API_BASE: fake.url,
		...env
	});
	return { server, fake };
}

export function count(db: Database.Database, table: string, where = '1'): number {
	return (db.prepare(`select count(*) as n from ${table} where ${where}`).get() as { n: number }).n;
}

/**
 * Waits until the in-process sender has handled every mail due now (it runs after a sale is answered), so that a
 * later snapshot sees only what the test itself changed.
 */
export async function mailSettled(db: Database.Database): Promise<void> {
	for (let i = 0; i < 500; i++) {
		if (count(db, 'outbox', `status = 'pending' and due_at <= ${Date.now()}`) === 0) return;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error('the mail sender did not finish the mails due now');
}

/** Every row of every table but the ones named: "the database as it was" is this, unchanged. */
export function snapshot(db: Database.Database, except: string[] = []): Record<string, unknown[]> {
	const tables = db
		.prepare(
			"select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'"
		)
		.all() as { name: string }[];
	const out: Record<string, unknown[]> = {};
	for (const { name } of tables)
		if (!except.includes(name)) out[name] = db.prepare(`select * from "${name}" order by rowid`).all();
	return out;
}
