import { count, desc, eq, max, or, sql } from 'drizzle-orm';
import { course } from '../course';
import { preparedFor } from '../db/prepared';
import { enrolments, progress, users } from '../db/schema';

export interface StudentRow {
	userId: number;
	email: string;
	name: string | null;
	status: string;
	allLessonsOpen: boolean;
	enrolledAt: number;
	done: number;
	lastViewedAt: number | null;
}

// LIKE with "\" escaping, so that a search for "50%" or "a_b" means those characters.
const contains = (text: unknown) => sql`${text} like ${sql.placeholder('like')} escape '\\'`;

const studentsMatching = preparedFor((db) =>
	db
		.select({
			userId: users.id,
			email: users.email,
			name: users.name,
			status: enrolments.status,
			allLessonsOpen: enrolments.allLessonsOpen,
			enrolledAt: enrolments.enrolledAt,
			// count() of a column counts its non-null values: the lessons finished.
			done: count(progress.completedAt),
			lastViewedAt: max(progress.lastViewedAt)
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.leftJoin(progress, eq(progress.userId, users.id))
		.where(or(contains(users.email), contains(sql`lower(coalesce(${users.name}, ''))`)))
		.groupBy(enrolments.id)
		.orderBy(desc(enrolments.enrolledAt))
		.limit(sql.placeholder('limit'))
		.offset(sql.placeholder('offset'))
		.prepare()
);

/** Enrolled students, newest first, with how many lessons each has finished; `query` filters by email or name. */
export function listStudents(query = '', limit = 100, offset = 0): StudentRow[] {
	const like = `%${query
		.trim()
		.toLowerCase()
		.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
	return studentsMatching().all({ like, limit, offset });
}

export function lessonCount(): number {
	return course().lessons.length;
}

const setLessonsOpen = preparedFor((db) =>
	db
		.update(enrolments)
		.set({ allLessonsOpen: sql`${sql.placeholder('open')}`, updatedAt: sql`${sql.placeholder('now')}` })
		.where(eq(enrolments.userId, sql.placeholder('userId')))
		.prepare()
);

/** Opens (or closes again) every lesson for one student, whatever the drip schedule says. */
export function setAllLessonsOpen(userId: number, open: boolean, now = Date.now()): boolean {
	return setLessonsOpen().run({ userId, open: open ? 1 : 0, now }).changes === 1;
}
