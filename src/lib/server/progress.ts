import { and, eq, sql } from 'drizzle-orm';
import { issueCertificate } from './certificate';
import { course } from './course';
import { writeTransaction } from './db';
import { preparedFor } from './db/prepared';
import { enrolments, progress } from './db/schema';
import { isLessonOpen, lessonOpensAt, type DripEnrolment } from './drip';
import { recheckWaitingMails } from './mail/sequences';

export interface LessonProgress {
	firstViewedAt: number;
	lastViewedAt: number;
	completedAt: number | null;
}

export type LessonState = 'done' | 'open' | 'opens';

export interface CourseOverview {
	lessons: { number: number; slug: string; title: string; state: LessonState; opensAt: number | null }[];
	done: number;
	total: number;
	/** The first open lesson not done yet, else the last one viewed, else the first lesson. */
	continueWith: { slug: string; title: string };
}

const readProgress = preparedFor((db) =>
	db
		.select({
			slug: progress.lessonSlug,
			firstViewedAt: progress.firstViewedAt,
			lastViewedAt: progress.lastViewedAt,
			completedAt: progress.completedAt
		})
		.from(progress)
		.where(eq(progress.userId, sql.placeholder('userId')))
		.prepare()
);

const upsertView = preparedFor((db) =>
	db
		.insert(progress)
		.values({
			userId: sql.placeholder('userId'),
			lessonSlug: sql.placeholder('slug'),
			firstViewedAt: sql.placeholder('now'),
			lastViewedAt: sql.placeholder('now')
		})
		.onConflictDoUpdate({
			target: [progress.userId, progress.lessonSlug],
			set: { lastViewedAt: sql`excluded.last_viewed_at` }
		})
		.prepare()
);

// The first completion is kept: unticking and ticking again does not move it.
const markDone = preparedFor((db) =>
	db
		.insert(progress)
		.values({
			userId: sql.placeholder('userId'),
			lessonSlug: sql.placeholder('slug'),
			firstViewedAt: sql.placeholder('now'),
			lastViewedAt: sql.placeholder('now'),
			completedAt: sql.placeholder('now')
		})
		.onConflictDoUpdate({
			target: [progress.userId, progress.lessonSlug],
			set: { completedAt: sql`coalesce(${progress.completedAt}, excluded.completed_at)` }
		})
		.prepare()
);

const markNotDone = preparedFor((db) =>
	db
		.update(progress)
		.set({ completedAt: null })
		.where(and(eq(progress.userId, sql.placeholder('userId')), eq(progress.lessonSlug, sql.placeholder('slug'))))
		.prepare()
);

// The desk sorts students by this column; it only moves forward.
const touchEnrolment = preparedFor((db) =>
	db
		.update(enrolments)
		.set({ lastActiveAt: sql`max(coalesce(${enrolments.lastActiveAt}, 0), ${sql.placeholder('now')})` })
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

/** Every lesson's progress for a student, by slug. */
export function progressOf(userId: number): Map<string, LessonProgress> {
	return new Map(
		readProgress()
			.all({ userId })
			.map(({ slug, ...row }) => [slug, row])
	);
}

// A reader who reloads the lesson they are on costs no write (and no fsync): the view is already the latest.
const VIEW_RESOLUTION_MS = 60_000;

/**
 * A student opened a lesson: the first view is kept, the last view moves. Returns the lesson's progress as
 * it stood, so the page need not read it again.
 */
export function recordView(userId: number, slug: string, now = Date.now()): LessonProgress | undefined {
	const rows = readProgress().all({ userId });
	const known = rows.find((row) => row.slug === slug);
	const latest = Math.max(0, ...rows.map((row) => row.lastViewedAt));
	const reload = known !== undefined && known.lastViewedAt === latest && now - known.lastViewedAt < VIEW_RESOLUTION_MS;
	if (!reload)
		writeTransaction(() => {
			upsertView().run({ userId, slug, now });
			touchEnrolment().run({ userId, now });
		});
	return known;
}

/**
 * Marks a lesson done (keeping the first completion time) or not done. When the last lesson is done the
 * certificate is issued, in the same transaction. Returns whether every lesson is now done.
 */
export function markLesson(userId: number, slug: string, done: boolean, now = Date.now()): { courseComplete: boolean } {
	return writeTransaction(() => {
		if (done) markDone().run({ userId, slug, now });
		else markNotDone().run({ userId, slug });
		touchEnrolment().run({ userId, now });
		const rows = progressOf(userId);
		const courseComplete = course().lessons.every((l) => rows.get(l.slug)?.completedAt != null);
		if (courseComplete) issueCertificate(userId, now);
		// Mails that wait on progress (the next lesson, the congratulation) are looked at again in the next pass.
		recheckWaitingMails(userId, now);
		return { courseComplete };
	});
}

/** The student's home from their progress (progressOf): each lesson's state, the count done, and where to continue. */
export function courseOverview(
	rows: ReadonlyMap<string, Omit<LessonProgress, 'firstViewedAt'>>,
	enrolment: DripEnrolment,
	now = Date.now()
): CourseOverview {
	const { lessons } = course();
	const overview = lessons.map((lesson) => {
		const open = isLessonOpen(enrolment, lesson, now);
		const state: LessonState = rows.get(lesson.slug)?.completedAt != null ? 'done' : open ? 'open' : 'opens';
		const opensAt = open ? null : lessonOpensAt(enrolment.enrolledAt, lesson);
		return { number: lesson.number, slug: lesson.slug, title: lesson.title, state, opensAt };
	});
	let lastViewed: { slug: string; at: number } | null = null;
	for (const lesson of lessons) {
		const at = rows.get(lesson.slug)?.lastViewedAt;
		if (at !== undefined && (!lastViewed || at > lastViewed.at)) lastViewed = { slug: lesson.slug, at };
	}
	const next =
		overview.find((l) => l.state === 'open') ?? overview.find((l) => l.slug === lastViewed?.slug) ?? overview[0];
	return {
		lessons: overview,
		done: overview.filter((l) => l.state === 'done').length,
		total: overview.length,
		continueWith: { slug: next.slug, title: next.title }
	};
}
