/** A list with every status and state, for the broadcast tests: who is on it, and who each segment must reach. */
import { writeTransaction } from '../../src/lib/server/db';
import { query, seedProgress, seedStudent } from './mail-seed';
import { fixtureCourse } from './fixture-course';

const DAY = 24 * 60 * 60 * 1000;

function subscriber(email: string, status: string, form = 'sales-page', now = Date.now()): void {
	query(
		`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
		 values (?, ?, ?, '/', ?, '2026-12-bn-2', ?)`
	).run(email, status, now, form, status === 'confirmed' ? now : null);
}

function suppressed(email: string, reason: 'unsubscribed' | 'bounced' | 'complained'): void {
	query('insert into suppressions (email, reason, detail) values (?, ?, ?)').run(email, reason, 'seeded');
}

/** Seeds the list and returns, for each segment as front matter writes it, the addresses it must reach. */
export function seedEveryStatus(now = Date.now()): Record<string, string[]> {
	const { course } = fixtureCourse();
	writeTransaction(() => {
		subscriber('sub-confirmed@example.com', 'confirmed');
		subscriber('sub-lesson-end@example.com', 'confirmed', 'lesson-end');
		subscriber('sub-pending@example.com', 'pending');
		subscriber('sub-unsubscribed@example.com', 'unsubscribed');
		suppressed('sub-unsubscribed@example.com', 'unsubscribed');
		subscriber('sub-bounced@example.com', 'confirmed');
		suppressed('sub-bounced@example.com', 'bounced');
		subscriber('sub-complained@example.com', 'confirmed');
		suppressed('sub-complained@example.com', 'complained');
		// Left the list, with no suppression row written (an old unsubscribe): still never mailed.
		subscriber('sub-left-quietly@example.com', 'unsubscribed');
	});
	const done = seedStudent('stu-done@example.com', now - 40 * DAY);
	for (const l of course.lessons) seedProgress(done, l.slug, now - DAY, now - DAY);
	const idle = seedStudent('stu-idle@example.com', now - 40 * DAY);
	seedProgress(idle, course.lessons[0].slug, now - 20 * DAY, now - 20 * DAY);
	seedStudent('stu-fresh@example.com', now);
	seedStudent('stu-subscriber@example.com', now - 2 * DAY);
	subscriber('stu-subscriber@example.com', 'confirmed', 'signup-page');
	const revoked = seedStudent('stu-revoked@example.com', now - 40 * DAY);
	query("update enrolments set status = 'revoked', revoked_reason = 'refunded' where user_id = ?").run(revoked);
	seedStudent('stu-unsubscribed@example.com', now - 40 * DAY);
	suppressed('stu-unsubscribed@example.com', 'unsubscribed');
	seedStudent('stu-bounced@example.com', now - 40 * DAY);
	suppressed('stu-bounced@example.com', 'bounced');
	// Signed in once, never bought: on no segment.
	query('insert into users (email) values (?)').run('just-a-user@example.com');

	const students = ['stu-done', 'stu-fresh', 'stu-idle', 'stu-subscriber'];
	const at = (names: string[]) => names.map((n) => `${n}@example.com`).sort();
	return {
		subscribers: at(['sub-confirmed', 'sub-lesson-end']),
		students: at(students),
		students_not_finished: at(['stu-fresh', 'stu-idle', 'stu-subscriber']),
		'students_inactive_days: 14': at(['stu-idle']),
		'students_inactive_days: 60': [],
		'source: sales-page': at(['sub-confirmed']),
		'source: signup-page': at(['stu-subscriber']),
		everyone: at(['sub-confirmed', 'sub-lesson-end', ...students])
	};
}
