// The demo checkout's "leave without buying" button expires the session through the same signed webhook as Stripe's
// checkout.session.expired, so the demo store shows the reminder in /dev/mailbox once its delay has passed.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startDrip } from '../support/mail-env';
import { startServer, type TestServer } from '../support/server';
import { HTML } from './setup';

const reminder = fixtureCourse().course.recovery.stripe!;
let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

async function leave(email: string, promotions: boolean): Promise<{ id: string; page: string; status: number }> {
	const browser = new Browser(server.origin);
	const checkout = await browser.post('/checkout', {}, HTML);
	const path = checkout.headers.get('location') ?? '';
	const id = path.split('/').pop()!;
	const fields: Record<string, string> = { email, name: 'ক্রেতা', leave: 'yes' };
	if (promotions) fields.promotions = 'yes';
	const res = await browser.post(path, fields, HTML);
	const landing = res.headers.get('location');
	return { id, status: res.status, page: landing ? await (await browser.get(landing)).text() : await res.text() };
}

const outboxOf = (id: string) =>
	server.db.prepare('select status from outbox where idempotency_key = ?').get(`recovery:stripe:${id}`) as
		{ status: string } | undefined;

test('leaving with the promotions box ticked: the session is gone and the reminder reaches the demo mailbox', async () => {
	const email = 'demo.leaver@example.com';
	const { id, status, page } = await leave(email, true);
	expect(status).toBe(303);
	expect(page).toContain('/dev/mailbox');
	expect(server.db.prepare('select count(*) as n from demo_checkout_sessions where id = ?').get(id)).toEqual({ n: 0 });
	expect(outboxOf(id)?.status).toBe('pending');

	server.db
		.prepare('update outbox set due_at = ? where idempotency_key = ?')
		.run(Date.now() - 1, `recovery:stripe:${id}`);
	const run = await startDrip({ DATABASE_PATH: server.dbPath, ORIGIN: server.origin }).done;
	expect(run.code, run.output).toBe(0);
	const mail = server.db.prepare('select subject, text from demo_mailbox where to_email = ?').get(email) as {
		subject: string;
		text: string;
	};
	expect(mail.subject).toBe(reminder.subject.replace('{{course_title}}', fixtureCourse().course.title));
	expect(mail.text).toContain(`${server.origin}/`);
});

test('leaving without the box queues nothing; leaving twice finds no checkout the second time', async () => {
	const { id } = await leave('demo.quiet@example.com', false);
	expect(outboxOf(id)).toBeUndefined();
	const again = await new Browser(server.origin).post(
		`/checkout/demo/${id}`,
		{ email: 'demo.quiet@example.com', leave: 'yes' },
		HTML
	);
	expect(again.status).toBe(404);
});
