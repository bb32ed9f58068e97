import { eq, sql } from 'drizzle-orm';
import type { SessionUser } from './auth/user';
import { course, type Lesson } from './course';
import { preparedFor } from './db/prepared';
import { enrolments, users } from './db/schema';
import { isLessonOpen, lessonOpensAt, type DripEnrolment } from './drip';

/** Where a signed-in person stands with the course. */
export type StudentStatus = { kind: 'none' } | { kind: 'ended' } | { kind: 'active'; enrolment: DripEnrolment };

/** Why a lesson can or cannot be read, for the page to answer with. */
export type LessonAccess =
	/** student: the reader is a student (or admin), so progress is recorded. */
	| { kind: 'read'; student: boolean }
	| { kind: 'sign-in' }
	| { kind: 'buy' }
	| { kind: 'ended' }
	| { kind: 'opens'; opensAt: number };

// Admins read everything: for the drip rule they are students with every lesson opened.
const EVERY_LESSON_OPEN: DripEnrolment = { enrolledAt: 0, allLessonsOpen: true };

const findEnrolment = preparedFor((db) =>
	db
		.select({ status: enrolments.status, enrolledAt: enrolments.enrolledAt, allLessonsOpen: enrolments.allLessonsOpen })
		.from(enrolments)
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

export function studentStatus(user: SessionUser): StudentStatus {
	if (user.isAdmin) return { kind: 'active', enrolment: EVERY_LESSON_OPEN };
	const row = findEnrolment().get({ userId: user.id });
	if (!row) return { kind: 'none' };
	if (row.status !== 'active') return { kind: 'ended' };
	return { kind: 'active', enrolment: { enrolledAt: row.enrolledAt, allLessonsOpen: row.allLessonsOpen } };
}

/** The one gate in front of a lesson's text: the page, its __data.json and its actions all ask it. */
export function lessonAccess(user: SessionUser | null, lesson: Lesson, now = Date.now()): LessonAccess {
	const status = user ? studentStatus(user) : undefined;
	if (lesson.free) return { kind: 'read', student: status?.kind === 'active' };
	if (!status) return { kind: 'sign-in' };
	if (status.kind === 'none') return { kind: 'buy' };
	if (status.kind === 'ended') return { kind: 'ended' };
	if (!isLessonOpen(status.enrolment, lesson, now)) {
		return { kind: 'opens', opensAt: lessonOpensAt(status.enrolment.enrolledAt, lesson) };
	}
	return { kind: 'read', student: true };
}

/** Whether the guide (EPUB and PDF) can be downloaded: only once every lesson is open, so it is no way around the drip. */
export type EbookAccess = { kind: 'ready' } | { kind: 'opens'; opensAt: number } | { kind: 'none' };

export function ebookAccess(user: SessionUser | null, now = Date.now()): EbookAccess {
	const status = user ? studentStatus(user) : undefined;
	if (status?.kind !== 'active') return { kind: 'none' };
	const closed = course().lessons.filter((lesson) => !isLessonOpen(status.enrolment, lesson, now));
	if (!closed.length) return { kind: 'ready' };
	return { kind: 'opens', opensAt: Math.max(...closed.map((l) => lessonOpensAt(status.enrolment.enrolledAt, l))) };
}

const findStudent = preparedFor((db) =>
	db
		.select({
			name: users.name,
			status: enrolments.status,
			enrolledAt: enrolments.enrolledAt,
			allLessonsOpen: enrolments.allLessonsOpen
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

/** A student with an active enrolment, with their name (for the mails that follow the course); else undefined. */
export function activeStudent(userId: number): { name: string | null; enrolment: DripEnrolment } | undefined {
	const row = findStudent().get({ userId });
	if (row?.status !== 'active') return undefined;
	return { name: row.name, enrolment: { enrolledAt: row.enrolledAt, allLessonsOpen: row.allLessonsOpen } };
}

const enrolmentOfAddress = preparedFor((db) =>
	db
		.select({ id: enrolments.id })
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.where(eq(users.email, sql.placeholder('email')))
		.limit(1)
		.prepare()
);

/** Whether the address has bought the course (an enrolment, whatever became of it). */
export function hasEnrolled(email: string): boolean {
	return enrolmentOfAddress().get({ email }) !== undefined;
}
