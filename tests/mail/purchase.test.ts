// A subscriber who buys: through the real signup, confirmation and demo checkout over HTTP, the fulfilment stops
// the lead sequence and starts the student one, whose lesson mails follow the lesson pages' schedule.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { Browser } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

async function mailText(to: string, subject: string): Promise<string> {
	for (let i = 0; i < 200; i++) {
		const row = server.db
			.prepare('select text from demo_mailbox where to_email = ? and subject = ? order by id desc limit 1')
			.get(to, subject) as { text: string } | undefined;
		if (row) return row.text;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`no mail "${subject}" for ${to}`);
}

test('buying moves a confirmed subscriber from the lead sequence to the student sequence', async () => {
	const email = 'lead.buyer@example.com';
	const browser = new Browser(server.origin);
	const signup = await browser.post('/subscribe', { email, form: 'sales-page', page: '/', consent: '2026-11-bn-1' });
	expect(signup.status).toBe(200);
	const confirmLink = /https?:\/\/\S+\/subscribe\/confirm\?token=[\w-]+/.exec(
		await mailText(email, 'আপনার ইমেইল ঠিকানা নিশ্চিত করুন')
	)?.[0];
	expect(confirmLink).toBeDefined();
	const confirmUrl = new URL(confirmLink!);
	expect((await browser.post(confirmUrl.pathname + confirmUrl.search)).status).toBe(200);

	const runs = (): Record<string, string> =>
		Object.fromEntries(
			(
				server.db.prepare('select sequence, status from sequence_runs where email = ?').all(email) as {
					sequence: string;
					status: string;
				}[]
			).map((r) => [r.sequence, r.status])
		);
	expect(runs()).toEqual({ lead: 'active' });

	const checkout = await browser.post('/checkout');
	expect(checkout.status).toBe(303);
	const paid = await browser.post(checkout.headers.get('location')!, { email: 'Lead.Buyer@example.com' });
	expect(paid.status).toBe(303);

	expect(runs()).toEqual({ lead: 'stopped', student: 'active' });
	// No lead mail is left to go out to a buyer; the student's lesson mails are queued on the drip schedule.
	const pendingLead = server.db
		.prepare(
			`select count(*) as n from outbox o join sequence_runs r on r.id = o.run_id
			  where r.sequence = 'lead' and r.email = ? and o.status = 'pending'`
		)
		.get(email) as { n: number };
	expect(pendingLead.n).toBe(0);
	// Every step once, in step order (one insert queues them all), each its own marketing mail of this run.
	const studentMails = server.db
		.prepare(
			`select o.idempotency_key as key, o.template, o.marketing, o.params, r.id as run
			   from outbox o join sequence_runs r on r.id = o.run_id
			  where r.sequence = 'student' and r.email = ? order by o.id`
		)
		.all(email) as { key: string; template: string; marketing: number; params: string; run: number }[];
	const steps = fixtureCourse().steps('student');
	expect(steps.length).toBeGreaterThan(1);
	expect(studentMails.map((m) => m.key)).toEqual(steps.map((step) => `student:${email}:${step.id}`));
	expect(studentMails.map((m) => m.template)).toEqual(steps.map((step) => `student/${step.id}`));
	for (const mail of studentMails) {
		expect(mail.marketing).toBe(1);
		expect(JSON.parse(mail.params)).toEqual({ runId: mail.run });
	}
	expect(await mailText(email, `আপনার কোর্স প্রস্তুত: ${fixtureCourse().course.title}`)).toContain('/login/verify?token=');
});
