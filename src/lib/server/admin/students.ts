import { and, count, desc, eq, asc, lt, max, or, sql, type SQL } from 'drizzle-orm';
import { course } from '../course';
import { db } from '../db';
import { enrolments, progress, users } from '../db/schema';

export interface StudentRow {
	userId: number;
	enrolmentId: number;
	email: string;
	name: string | null;
	status: string;
	allLessonsOpen: boolean;
	enrolledAt: number;
	done: number;
	/** The last time they opened a lesson, or their enrolment when they never did. */
	lastActive: number;
}

export type StudentSort = 'recent' | 'idle';

export interface StudentFilter {
	query: string;
	sort: StudentSort;
	/** The key of the last row shown: enrolment id (recent), or "lastActive:enrolmentId" (idle). */
	after: string | null;
}

const escapeLike = (text: string): string => text.replace(/[%_\\]/g, (c) => `\\${c}`);

const lastActive = sql<number>`coalesce(${max(progress.lastViewedAt)}, ${enrolments.enrolledAt})`;

function matching(query: string): SQL | undefined {
	const q = query.trim().toLowerCase();
	if (!q) return undefined;
	if (/^\d{1,12}$/.test(q)) return eq(users.id, Number(q));
	const like = `%${escapeLike(q)}%`;
	return or(
		and(sql`${users.email} >= ${q}`, sql`${users.email} < ${q + '\uffff'}`),
		sql`${users.email} like ${like} escape '\\'`,
		sql`lower(coalesce(${users.name}, '')) like ${like} escape '\\'`
	);
}

/**
 * One page of enrolled students (limit + 1 rows, to tell whether there is another), newest first or the longest
 * idle first (who is stuck), paginated by key; `query` filters by address, name or id.
 */
export function listStudents(filter: StudentFilter, limit = 50): StudentRow[] {
	const recent = filter.sort === 'recent';
	const [activeAt, enrolmentId] = (filter.after ?? '').split(':').map(Number);
	// Filters and orders combine freely, so the statement is built per request: an admin page, not a hot path.
	const query = db()
		.select({
			userId: users.id,
			enrolmentId: enrolments.id,
			email: users.email,
			name: users.name,
			status: enrolments.status,
			allLessonsOpen: enrolments.allLessonsOpen,
			enrolledAt: enrolments.enrolledAt,
			// count() of a column counts its non-null values: the lessons finished.
			done: count(progress.completedAt),
			lastActive
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.leftJoin(progress, eq(progress.userId, users.id))
		.where(and(recent && filter.after ? lt(enrolments.id, activeAt) : undefined, matching(filter.query)))
		.groupBy(enrolments.id);
	if (recent)
		return query
			.orderBy(desc(enrolments.id))
			.limit(limit + 1)
			.all();
	const after =
		filter.after && Number.isFinite(enrolmentId)
			? sql`${lastActive} > ${activeAt} or (${lastActive} = ${activeAt} and ${enrolments.id} > ${enrolmentId})`
			: undefined;
	return query
		.having(after)
		.orderBy(asc(lastActive), asc(enrolments.id))
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
