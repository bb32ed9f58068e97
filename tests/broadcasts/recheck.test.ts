// The segment is asked again when each mail is sent: a reader who unsubscribed, bounced, complained, was suppressed,
// bought (for "subscribers") or finished the course (for "students_not_finished") after queuing gets nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closeDatabase } from '../../src/lib/server/db';
import { queueDueBroadcasts } from '../../src/lib/server/broadcasts/store';
import { runSenderPass } from '../../src/lib/server/mail/sender';
import { fixtureCourse } from '../support/fixture-course';
import { mailEnv, type MailEnv } from '../support/mail-env';
import { openStore, query, seedProgress, seedStudent } from '../support/mail-seed';

let env: MailEnv;

beforeAll(() => {
	env = mailEnv();
	openStore();
});
afterAll(() => {
	closeDatabase();
	env.cleanup();
});

function subscriber(email: string): void {
	query(
		`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
		 values (?, 'confirmed', 0, '/', 'sales-page', '2026-12-bn-2', 0)`
	).run(email);
}

function suppress(email: string, reason: string): void {
	query('insert into suppressions (email, reason, detail) values (?, ?, ?)').run(email, reason, 'after queuing');
}

/** Queues a broadcast (its subject unique in this file) to the segment now; returns whom it was queued for. */
async function queued(segment: string, subject: string): Promise<string[]> {
	query(
		"insert into broadcasts (subject, markdown, segment, status, send_at) values (?, 'খবর', ?, 'scheduled', ?)"
	).run(subject, segment, Date.now() - 1000);
	await queueDueBroadcasts([]);
	return (
		query(
			"select to_email from outbox o join broadcasts b on o.template = 'broadcast/' || b.id where b.subject = ? order by to_email"
		).all(subject) as { to_email: string }[]
	).map((r) => r.to_email);
}

const deliveredTo = (subject: string): string[] =>
	(
		query('select to_email from demo_mailbox where subject = ? order by to_email').all(subject) as {
			to_email: string;
		}[]
	).map((r) => r.to_email);

test('a subscriber who left the list or bought between queuing and sending gets no broadcast', async () => {
	const readers = ['bought', 'bounced', 'complained', 'stays', 'suppressed', 'unsubscribed'].map(
		(n) => `${n}@example.com`
	);
	for (const email of readers) subscriber(email);
	expect(await queued('subscribers', 'অফার')).toEqual(readers);

	// Written straight to the tables, as a webhook or the unsubscribe page could between two passes.
	query("update subscribers set status = 'unsubscribed' where email = ?").run('unsubscribed@example.com');
	suppress('bounced@example.com', 'bounced');
	suppress('complained@example.com', 'complained');
	suppress('suppressed@example.com', 'unsubscribed');
	seedStudent('bought@example.com', Date.now());

	const report = await runSenderPass();
	expect(report.sent).toBe(1);
	expect(deliveredTo('অফার')).toEqual(['stays@example.com']);
	// Set aside for good or until a new subscription, never left pending for a later pass.
	const rows = query(
		"select to_email, o.status from outbox o join broadcasts b on o.template = 'broadcast/' || b.id where b.subject = 'অফার'"
	).all() as { to_email: string; status: string }[];
	const left = rows.filter((r) => r.to_email !== 'stays@example.com');
	expect(left).toHaveLength(readers.length - 1);
	for (const r of left) expect(['skipped', 'stopped'], r.to_email).toContain(r.status);
});

test('a student who finished the course after queuing gets no "not finished" broadcast', async () => {
	const { course } = fixtureCourse();
	const finisher = seedStudent('finisher@example.com', Date.now());
	seedStudent('reader@example.com', Date.now());
	expect(await queued('students_not_finished', 'শেষ করুন')).toEqual(
		expect.arrayContaining(['finisher@example.com', 'reader@example.com'])
	);
	for (const l of course.lessons) seedProgress(finisher, l.slug, Date.now(), Date.now());
	await runSenderPass();
	const delivered = deliveredTo('শেষ করুন');
	expect(delivered).toContain('reader@example.com');
	expect(delivered).not.toContain('finisher@example.com');
});
