// Sequence mails read the student's progress when they are due; time is controlled by dating the rows, not by waiting.
// The course is the tests' own (tests/fixtures/course): its mail files and subjects are what these tests name.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mailEnv, type MailEnv } from '../support/mail-env';
import { openStore, outboxRow, query, seedLeads, seedProgress, seedStudent } from '../support/mail-seed';
import { course } from '../../src/lib/server/course';
import { writeTransaction } from '../../src/lib/server/db';
import { lessonOpensAt } from '../../src/lib/server/drip';
import { runSenderPass } from '../../src/lib/server/mail/sender';
import {
	leaveLeadSequence,
	recheckWaitingMails,
	startLeadSequence,
	startStudentSequence
} from '../../src/lib/server/mail/sequences';
import { unsubscribe } from '../../src/lib/server/mail/subscribers';
import { liftUnsubscribe, suppress } from '../../src/lib/server/mail/suppressions';

const DAY = 24 * 60 * 60 * 1000;
let env: MailEnv;

beforeAll(() => {
	env = mailEnv();
	openStore();
});

afterAll(() => env.cleanup());

function student(email: string, enrolledDaysAgo: number): { id: number; enrolledAt: number } {
	const enrolledAt = Date.now() - enrolledDaysAgo * DAY;
	const id = seedStudent(email, enrolledAt);
	startStudentSequence(id, email, enrolledAt);
	return { id, enrolledAt };
}

const inbox = (to: string): string[] =>
	(query('select subject from demo_mailbox where to_email = ? order by id').all(to) as { subject: string }[]).map(
		(m) => m.subject
	);

test('a student who finished lesson 2 does not get the lesson-2 mail; one who has not, does', async () => {
	const done = student('done2@example.com', 3);
	seedProgress(done.id, 'rice', Date.now() - 2 * DAY, Date.now() - 2 * DAY);
	student('todo2@example.com', 3);
	await runSenderPass();
	expect(outboxRow('student:done2@example.com:01-lesson-02-task')).toMatchObject({
		status: 'skipped',
		last_error: 'skip_if lesson_done rice'
	});
	expect(outboxRow('student:todo2@example.com:01-lesson-02-task')?.status).toBe('sent');
	expect(inbox('todo2@example.com')).toContain('পাঠ ২-এর কাজটা করেছেন? মেপে রাঁধার অভ্যাস এখান থেকেই');
	// Both got the mail for lesson 3, which opened on day 2, its subject naming the lesson.
	expect(inbox('done2@example.com')).toEqual(['নতুন পাঠ খুলেছে: ডাল: প্রতিদিনের পুষ্টি']);
});

test('each lesson mail is due when lessonOpensAt opens the lesson page (plus the step delay), never before', () => {
	const { enrolledAt } = student('schedule@example.com', 0);
	const { timezone, bySlug, sequences } = course();
	const steps = sequences.find((s) => s.name === 'student')?.steps.filter((s) => s.lessonOpens) ?? [];
	expect(steps.length).toBe(4);
	for (const step of steps) {
		const opens = lessonOpensAt(enrolledAt, bySlug.get(step.lessonOpens ?? '')!, timezone);
		const row = outboxRow(`student:schedule@example.com:${step.id}`);
		expect(row?.due_at, step.id).toBe(opens + step.delayMs);
		expect(row!.due_at).toBeGreaterThanOrEqual(opens);
	}
});

test('the nudge goes to a student who opened nothing for seven days, waits for one who did, and skips one who finished', async () => {
	const quiet = student('quiet@example.com', 10);
	seedProgress(quiet.id, 'welcome', Date.now() - 8 * DAY);
	const busy = student('busy@example.com', 10);
	const viewed = Date.now() - 2 * DAY;
	seedProgress(busy.id, 'welcome', viewed);
	const finished = student('finished@example.com', 10);
	for (const lesson of course().lessons)
		seedProgress(finished.id, lesson.slug, Date.now() - 8 * DAY, Date.now() - 8 * DAY);
	query("insert into certificates (id, user_id, completed_at) values ('cert-finished', ?, ?)").run(
		finished.id,
		Date.now() - 8 * DAY
	);

	await runSenderPass();
	expect(outboxRow('student:quiet@example.com:05-come-back')?.status).toBe('sent');
	expect(outboxRow('student:busy@example.com:05-come-back')).toMatchObject({
		status: 'waiting',
		due_at: viewed + 7 * DAY,
		last_error: 'waiting for not_viewed_for_days 7'
	});
	expect(outboxRow('student:finished@example.com:05-come-back')).toMatchObject({
		status: 'skipped',
		last_error: 'skip_if course_done'
	});
	// The finished student got the congratulation with the certificate link, and no mail about lessons already done.
	const congrats = query(
		"select text from demo_mailbox where to_email = 'finished@example.com' and subject like 'অভিনন্দন%'"
	).get() as { text: string };
	expect(congrats.text).toContain('https://course.example.com/certificate/cert-finished');
	expect(inbox('finished@example.com')).toEqual(['অভিনন্দন! আপনি পুরো রান্নার কোর্স শেষ করেছেন']);
});

test('the congratulation waits for the last lesson and goes out once the progress is rechecked', async () => {
	const s = student('almost@example.com', 20);
	const lessons = course().lessons;
	for (const lesson of lessons.slice(0, -1)) seedProgress(s.id, lesson.slug, Date.now() - DAY, Date.now() - DAY);
	await runSenderPass();
	const key = 'student:almost@example.com:06-congratulations';
	expect(outboxRow(key)).toMatchObject({ status: 'waiting', last_error: 'waiting for course_done' });

	// The last lesson is marked done and the certificate issued (the progress pages do both), then the mail is rechecked.
	writeTransaction(() => {
		seedProgress(s.id, lessons[lessons.length - 1].slug, Date.now(), Date.now());
		query("insert into certificates (id, user_id, completed_at) values ('cert-almost', ?, ?)").run(s.id, Date.now());
		expect(recheckWaitingMails(s.id)).toBeGreaterThanOrEqual(1);
	});
	await runSenderPass();
	expect(outboxRow(key)?.status).toBe('sent');
	const mail = query('select text, html from demo_mailbox where to_email = ? and subject like ?').get(
		'almost@example.com',
		'অভিনন্দন%'
	) as { text: string; html: string };
	expect(mail.text).toContain('https://course.example.com/certificate/cert-almost');
});

test('a buyer leaves the lead sequence: stopped by the purchase, and skipped at send time even if nothing stopped it', async () => {
	const startedAt = Date.now() - 4 * DAY;
	const [buyer, other] = seedLeads(2, 'buyer', startedAt);
	// The fulfilment transaction: the enrolment, then leaving lead and starting the student sequence.
	writeTransaction(() => {
		const id = seedStudent(buyer, Date.now());
		leaveLeadSequence(buyer);
		startStudentSequence(id, buyer, Date.now());
	});
	// A purchase recorded without leaving the sequence (e.g. by hand).
	seedStudent(other, Date.now());

	await runSenderPass();
	expect(outboxRow(`lead:${buyer}:01-welcome`)).toMatchObject({
		status: 'stopped',
		last_error: 'sequence stopped: purchased'
	});
	expect(outboxRow(`lead:${buyer}:03-taste-as-you-go`)).toMatchObject({
		status: 'stopped',
		last_error: 'sequence stopped: purchased'
	});
	expect(outboxRow(`lead:${buyer}:04-invitation`)).toMatchObject({ status: 'stopped' });
	expect(outboxRow(`lead:${other}:01-welcome`)).toMatchObject({ status: 'skipped', last_error: 'bought the course' });
	expect(inbox(buyer).some((s) => s.startsWith('স্বাগতম'))).toBe(false);
	expect(inbox(other)).toEqual([]);
});

test('a revoked enrolment gets no more student mail; a step whose file is gone is skipped, not failed', async () => {
	const s = student('refunded@example.com', 3);
	query("update enrolments set status = 'revoked', revoked_reason = 'refund' where user_id = ?").run(s.id);
	query(
		"insert into outbox (idempotency_key, template, to_email, marketing) values ('gone-step', 'lead/99-removed', 'x@example.com', 1)"
	).run();
	await runSenderPass();
	expect(outboxRow('student:refunded@example.com:01-lesson-02-task')).toMatchObject({
		status: 'skipped',
		last_error: 'no active enrolment'
	});
	expect(outboxRow('gone-step')).toMatchObject({ status: 'skipped', last_error: 'unknown template lead/99-removed' });
});

test('a lead who unsubscribes and confirms again gets the mails still ahead, not the past ones; a bounced one gets none', () => {
	const [back, bounced] = seedLeads(2, 'comeback', Date.now() - DAY);
	const leadKeys = (email: string): { key: string; ahead: boolean }[] =>
		(
			query('select idempotency_key as key, due_at from outbox where to_email = ? order by due_at').all(email) as {
				key: string;
				due_at: number;
			}[]
		).map((r) => ({ key: r.key, ahead: r.due_at > Date.now() }));
	const rows = leadKeys(back);
	expect(rows.some((r) => r.ahead)).toBe(true);
	expect(rows.some((r) => !r.ahead)).toBe(true);

	unsubscribe(back, 'test');
	writeTransaction(() => suppress(bounced, 'bounced', 'test'));
	for (const { key } of rows)
		expect(outboxRow(key)).toMatchObject({ status: 'stopped', last_error: 'suppressed: unsubscribed' });
	for (const { key } of leadKeys(bounced))
		expect(outboxRow(key)).toMatchObject({ status: 'skipped', last_error: 'suppressed: bounced' });

	// Confirming the list again (confirmSubscription does these two in its transaction).
	for (const email of [back, bounced])
		writeTransaction(() => {
			liftUnsubscribe(email);
			startLeadSequence(email);
		});
	for (const { key, ahead } of rows) expect(outboxRow(key)?.status, key).toBe(ahead ? 'pending' : 'stopped');
	for (const { key } of leadKeys(bounced)) expect(outboxRow(key)?.status, key).toBe('skipped');
});
