/**
 * What a signed-in reader's lesson page and `/course` are rendered from, beyond the course itself: the access
 * check and the few personal bits (done or not, the lessons' states, the guide's date). The pages are pure
 * functions of this state, so a rendering is kept per state (rendered-pages.ts) and a request does only the
 * session, this lookup and, for a lesson, recording the view.
 */
import { eq, sql } from 'drizzle-orm';
import { lessonAccess, studentStatus, type LessonAccess } from './access';
import type { SessionUser } from './auth/user';
import { certificateIdOf } from './certificate';
import { type Lesson } from './course';
import { preparedFor } from './db/prepared';
import { certificates, enrolments, progress } from './db/schema';
import { formatOpensOn, type DripEnrolment } from './drip';
import { courseOverview, progressOf, recordView, type CourseOverview } from './progress';

export interface LessonState {
	access: LessonAccess;
	/** The reader has marked the lesson done (only ever true for a student who may read it). */
	done: boolean;
}

/** The access check and, for a student who may read the lesson, the view recorded: the progress as it stood. */
export function lessonState(user: SessionUser | null, lesson: Lesson): LessonState {
	const access = lessonAccess(user, lesson);
	const progress = access.kind === 'read' && access.student && user ? recordView(user.id, lesson.slug) : undefined;
	return { access, done: progress?.completedAt != null };
}

export type CourseHome = Omit<CourseOverview, 'lessons'> & {
	lessons: (Omit<CourseOverview['lessons'][number], 'opensAt'> & { opensOn: string | null })[];
	certificateId: string | null;
	/** Whether the guide can be downloaded yet, and from which day when not. */
	ebook: { ready: boolean; opensOn: string | null };
};

/**
 * `/course` for an active student: the key it is kept under and, for a miss, the page's data built from the
 * very lookup the key was made of (so a change between the two cannot put one state's page under another's key).
 */
export type CourseState =
	{ kind: 'none' } | { kind: 'ended' } | { kind: 'active'; key: string; home: () => CourseHome };

// What /course needs of a student, in one statement on the hot path: the enrolment, the certificate, the progress.
const readStudentOfCourse = preparedFor((db) =>
	db
		.select({
			status: enrolments.status,
			enrolledAt: enrolments.enrolledAt,
			allLessonsOpen: enrolments.allLessonsOpen,
			certificateId: certificates.id,
			slug: progress.lessonSlug,
			lastViewedAt: progress.lastViewedAt,
			completedAt: progress.completedAt
		})
		.from(enrolments)
		.leftJoin(certificates, eq(certificates.userId, enrolments.userId))
		.leftJoin(progress, eq(progress.userId, enrolments.userId))
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

type StudentOfCourse =
	| { kind: 'none' }
	| { kind: 'ended' }
	| {
			kind: 'active';
			enrolment: DripEnrolment;
			rows: Map<string, { lastViewedAt: number; completedAt: number | null }>;
			certificateId: string | null;
	  };

/** The student's standing (as studentStatus answers it), progress and certificate. */
function studentOfCourse(user: SessionUser): StudentOfCourse {
	// Admins are students with every lesson open and may have no enrolment row (studentStatus).
	if (user.isAdmin) {
		const status = studentStatus(user);
		if (status.kind !== 'active') return status;
		return { ...status, rows: progressOf(user.id), certificateId: certificateIdOf(user.id) };
	}
	const found = readStudentOfCourse().all({ userId: user.id });
	if (!found.length) return { kind: 'none' };
	const [{ status, enrolledAt, allLessonsOpen, certificateId }] = found;
	if (status !== 'active') return { kind: 'ended' };
	const rows = new Map<string, { lastViewedAt: number; completedAt: number | null }>();
	for (const { slug, lastViewedAt, completedAt } of found)
		if (slug !== null) rows.set(slug, { lastViewedAt: lastViewedAt ?? 0, completedAt });
	return { kind: 'active', enrolment: { enrolledAt, allLessonsOpen }, rows, certificateId };
}

/** Everything `/course` shows a signed-in reader, or why it shows nothing. */
export function courseState(user: SessionUser, now = Date.now()): CourseState {
	const found = studentOfCourse(user);
	if (found.kind !== 'active') return found;
	const { enrolment, rows, certificateId } = found;
	const overview = courseOverview(rows, enrolment, now);
	// The guide opens with the last lesson (access.ts, ebookAccess): read off the same lookup, not asked again.
	let lastOpensAt: number | null = null;
	const opensOn: (string | null)[] = [];
	let key = `course ${overview.continueWith.slug} cert=${certificateId} ${layoutKey(user, true)}`;
	for (const lesson of overview.lessons) {
		const date = lesson.opensAt === null ? null : formatOpensOn(lesson.opensAt, now);
		if (lesson.opensAt !== null) lastOpensAt = Math.max(lastOpensAt ?? 0, lesson.opensAt);
		opensOn.push(date);
		key += ` ${lesson.state}${date === null ? '' : ` ${date}`}`;
	}
	const ebookOpensOn = lastOpensAt === null ? null : formatOpensOn(lastOpensAt, now);
	key += ` ebook=${ebookOpensOn}`;
	const home = (): CourseHome => ({
		...overview,
		lessons: overview.lessons.map(({ number, slug, title, state }, i) => ({
			number,
			slug,
			title,
			state,
			opensOn: opensOn[i]
		})),
		certificateId,
		ebook: { ready: ebookOpensOn === null, opensOn: ebookOpensOn }
	});
	return { kind: 'active', key, home };
}

/** What the layout shows that differs between signed-in readers (offline reading: the reader is an active student). */
function layoutKey(user: SessionUser, activeStudent: boolean): string {
	return `admin=${user.isAdmin} offline=${activeStudent}`;
}

/**
 * The key a lesson page is kept under: everything it is rendered from besides the lesson and the course.
 * Null for answers that are not kept (a sign-in, a buy or an ended page).
 */
export function lessonPageKey(user: SessionUser, lesson: Lesson, state: LessonState): string | null {
	const { access, done } = state;
	// Both kinds are answered only to an active student, or to anyone for a free lesson (lessonAccess).
	if (access.kind === 'read')
		return `lesson ${lesson.slug} read student=${access.student} done=${done} ${layoutKey(user, access.student)}`;
	if (access.kind === 'opens')
		return `lesson ${lesson.slug} opens ${formatOpensOn(access.opensAt)} ${layoutKey(user, true)}`;
	return null;
}

/** The key `/course` is kept under: the whole of what it shows, which is small. */
export function coursePageKey(state: CourseState): string | null {
	return state.kind === 'active' ? state.key : null;
}
