// A broadcast file goes out at its send_at and not before; an edit counts until it starts; a cancelled one, or one
// whose file is gone, never goes; the store's own scheduler pass sends it to each recipient's demo mailbox.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadCourse, useCourse } from '../../src/lib/server/course';
import { closeDatabase } from '../../src/lib/server/db';
import { cancelBroadcast, queueDueBroadcasts } from '../../src/lib/server/broadcasts/store';
import { runSenderPass } from '../../src/lib/server/mail/sender';
import { FIXTURE_COURSE_DIR } from '../support/fixture-course';
import { mailEnv, type MailEnv } from '../support/mail-env';
import { openStore, query } from '../support/mail-seed';

const HOUR = 60 * 60 * 1000;
// Three hours ago, so that every moment the test passes for "now" is already past for the sender too.
const start = Date.now() - 3 * HOUR;
let env: MailEnv;
let courseDir: string;
const READERS = ['ana@example.com', 'bina@example.com'];

function writeBroadcast(name: string, subject: string, sendAt: number): void {
	const at = new Date(sendAt).toISOString().replace(/\.\d+Z$/, 'Z');
	writeFileSync(
		join(courseDir, 'emails', 'broadcasts', `${name}.md`),
		`---\nsubject: "${subject}"\nsegment: subscribers\nsend_at: ${at}\n---\n\n{{course_title}}: নতুন খবর।\n`
	);
}

/** The course as the store would read it after a restart. */
function files() {
	const course = loadCourse(courseDir);
	useCourse(course);
	return course.broadcasts;
}

const status = (file: string): string | undefined =>
	(query('select status from broadcasts where file = ?').get(file) as { status: string } | undefined)?.status;
const queuedFor = (file: string): number =>
	(
		query(
			"select count(*) n from outbox o join broadcasts b on o.template = 'broadcast/' || b.id where b.file = ?"
		).get(file) as { n: number }
	).n;

beforeAll(() => {
	courseDir = mkdtempSync(join(tmpdir(), 'course-schedule-'));
	cpSync(FIXTURE_COURSE_DIR, courseDir, { recursive: true });
	mkdirSync(join(courseDir, 'emails', 'broadcasts'), { recursive: true });
	env = mailEnv({ COURSE_DIR: courseDir });
	openStore();
	const insert = query(
		`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
		 values (?, 'confirmed', 0, '/', 'sales-page', '2026-12-bn-2', 0)`
	);
	for (const email of READERS) insert.run(email);
});
afterAll(() => {
	closeDatabase();
	env.cleanup();
	rmSync(courseDir, { recursive: true, force: true });
});

test('a file goes at its send_at, with the text it had then; a cancelled or removed one never goes', async () => {
	writeBroadcast('launch', 'প্রথম খসড়া', start + 2 * HOUR);
	writeBroadcast('cancelled', 'বাতিল হবে', start + 2 * HOUR);
	writeBroadcast('removed', 'ফাইল মুছে যাবে', start + 2 * HOUR);
	await queueDueBroadcasts(files(), start);
	expect(['launch', 'cancelled', 'removed'].map(status)).toEqual(['scheduled', 'scheduled', 'scheduled']);

	// An hour later: the seller edits one file, cancels one on /admin, deletes one.
	writeBroadcast('launch', 'লঞ্চের দিন', start + 2 * HOUR);
	rmSync(join(courseDir, 'emails', 'broadcasts', 'removed.md'));
	const cancelled = query("select id from broadcasts where file = 'cancelled'").get() as { id: number };
	expect(cancelBroadcast(cancelled.id, 'seller@example.com')).toBe(true);
	await queueDueBroadcasts(files(), start + HOUR);
	expect(['launch', 'cancelled', 'removed'].map(status)).toEqual(['scheduled', 'cancelled', 'cancelled']);
	expect(queuedFor('launch')).toBe(0);

	// Its time comes.
	await queueDueBroadcasts(files(), start + 2 * HOUR + 1);
	expect(['launch', 'cancelled', 'removed'].map(status)).toEqual(['queued', 'cancelled', 'cancelled']);
	expect([queuedFor('launch'), queuedFor('cancelled'), queuedFor('removed')]).toEqual([READERS.length, 0, 0]);
	// Started: a later edit of the file changes nothing, and it can no longer be cancelled.
	writeBroadcast('launch', 'পরে বদলানো', start + 2 * HOUR);
	await queueDueBroadcasts(files(), start + 3 * HOUR);
	expect(query("select subject from broadcasts where file = 'launch'").get()).toEqual({ subject: 'লঞ্চের দিন' });
	const launch = query("select id from broadcasts where file = 'launch'").get() as { id: number };
	expect(cancelBroadcast(launch.id, 'seller@example.com')).toBe(false);

	// The sender's pass delivers it, once to each reader, to the demo mailbox.
	const report = await runSenderPass();
	expect(report.sent).toBe(READERS.length);
	const mails = query("select to_email, subject from demo_mailbox where subject = 'লঞ্চের দিন' order by to_email").all();
	expect(mails).toEqual(READERS.map((to) => ({ to_email: to, subject: 'লঞ্চের দিন' })));
	expect((await runSenderPass()).sent).toBe(0);
});
