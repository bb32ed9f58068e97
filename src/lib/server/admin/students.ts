import { and, desc, eq, asc, lt, or, sql, type SQL } from 'drizzle-orm';
import { course } from '../course';
import { db } from '../db';
import { enrolments, progress, users } from '../db/schema';
import { startsWith } from './search';

export interface StudentRow {
	userId: number;
	enrolmentId: number;
	email: string;
	name: string | null;
	status: string;
	allLessonsOpen: boolean;
	enrolledAt: number;
	done: number;
	/** The last time they opened or finished a lesson, or their enrolment when they never did. */
	lastActive: number;
}

export type StudentSort = 'recent' | 'idle';

export interface StudentFilter {
	query: string;
	sort: StudentSort;
	/** The key of the last row shown: enrolment id (recent), or "lastActive:enrolmentId" (idle). */
	after: string | null;
}

// The same expression as the index enrolments_last_active, so that the sort and its pages read that index.
const lastActive = sql<number>`coalesce(${enrolments.lastActiveAt}, ${enrolments.enrolledAt})`;
// Counted for the page's rows only: count() of a column counts its non-null values, the lessons finished.
const done = sql<number>`(select count(${progress.completedAt}) from ${progress} where ${progress.userId} = ${enrolments.userId})`;

/** A search on indexes only: a student's id, the beginning of their address or of their name. */
function matching(query: string): SQL | undefined {
	const q = query.trim();
	if (!q) return undefined;
	if (/^\d{1,12}$/.test(q)) return eq(users.id, Number(q));
	return or(startsWith(users.email, q.toLowerCase()), startsWith(users.name, q));
}

/**
 * One page of enrolled students (limit + 1 rows, to tell whether there is another), newest first or the longest
 * idle first (who is stuck), paginated by key; `query` filters by id, the address's or the name's beginning.
 */
export function listStudents(filter: StudentFilter, limit = 50): StudentRow[] {
	const recent = filter.sort === 'recent';
	const [key, enrolmentId] = (filter.after ?? '').split(':').map(Number);
	const after = !filter.after
		? undefined
		: recent
			? lt(enrolments.id, key)
			: Number.isFinite(enrolmentId)
				? // The first half is implied by the second; it lets SQLite start the index walk at the key.
					sql`${lastActive} >= ${key} and (${lastActive}, ${enrolments.id}) > (${key}, ${enrolmentId})`
				: undefined;
	// Filters and orders combine freely, so the statement is built per request: an admin page, not a hot path.
	return db()
		.select({
			userId: users.id,
			enrolmentId: enrolments.id,
			email: users.email,
			name: users.name,
			status: enrolments.status,
			allLessonsOpen: enrolments.allLessonsOpen,
			enrolledAt: enrolments.enrolledAt,
			done,
			lastActive
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.where(and(after, matching(filter.query)))
		.orderBy(...(recent ? [desc(enrolments.id)] : [asc(lastActive), asc(enrolments.id)]))
		.limit(limit + 1)
		.all();
}

/** The key that continues a list after this row. */
export function studentKey(row: StudentRow, sort: StudentSort): string {
	return sort === 'recent' ? String(row.enrolmentId) : `${row.lastActive}:${row.enrolmentId}`;
}

export function lessonCount(): number {
	return course().lessons.length;
}
