import { and, desc, eq, asc, lt, or, sql, type SQL } from 'drizzle-orm';
import { course } from '../course';
import type { Db } from '../db';
import { preparedFor } from '../db/prepared';
import { startsWith } from './search';
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

type QueryKind = 'none' | 'id' | 'text';

const q = (name: string) => sql.placeholder(name);

/** A search on indexes only: a student's id, or the beginning of their address or of their name. */
function matching(kind: QueryKind): SQL | undefined {
	if (kind === 'id') return eq(users.id, q('id'));
	if (kind === 'text') return or(startsWith(users.email, q('email')), startsWith(users.name, q('name')));
	return undefined;
}

function afterKey(sort: StudentSort, paged: boolean): SQL | undefined {
	if (!paged) return undefined;
	if (sort === 'recent') return lt(enrolments.id, q('key'));
	// The first half is implied by the second; it lets SQLite start the index walk at the key.
	return sql`${lastActive} >= ${q('key')} and (${lastActive}, ${enrolments.id}) > (${q('key')}, ${q('enrolmentId')})`;
}

// One prepared statement per shape of the list (sort, a page key or not, which search): twelve at most.
const shapes = new Map<string, ReturnType<typeof preparedFor<ReturnType<typeof buildList>>>>();

function buildList(database: Db, sort: StudentSort, paged: boolean, kind: QueryKind) {
	return database
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
		.where(and(afterKey(sort, paged), matching(kind)))
		.orderBy(...(sort === 'recent' ? [desc(enrolments.id)] : [asc(lastActive), asc(enrolments.id)]))
		.limit(q('limit'))
		.prepare();
}

/**
 * One page of enrolled students (limit + 1 rows, to tell whether there is another), newest first or the longest
 * idle first (who is stuck), paginated by key; `query` filters by id, the address's or the name's beginning.
 */
export function listStudents(filter: StudentFilter, limit = 50): StudentRow[] {
	const [key, enrolmentId] = (filter.after ?? '').split(':').map(Number);
	const paged = filter.after !== null && (filter.sort === 'recent' || Number.isFinite(enrolmentId));
	const text = filter.query.trim();
	const kind: QueryKind = !text ? 'none' : /^\d{1,12}$/.test(text) ? 'id' : 'text';
	const shape = `${filter.sort} ${paged} ${kind}`;
	let list = shapes.get(shape);
	if (!list) shapes.set(shape, (list = preparedFor((database) => buildList(database, filter.sort, paged, kind))));
	return list().all({
		limit: limit + 1,
		...(paged ? { key, enrolmentId } : {}),
		...(kind === 'id' ? { id: Number(text) } : {}),
		...(kind === 'text' ? { email: text.toLowerCase(), name: text } : {})
	});
}

/** The key that continues a list after this row. */
export function studentKey(row: StudentRow, sort: StudentSort): string {
	return sort === 'recent' ? String(row.enrolmentId) : `${row.lastActive}:${row.enrolmentId}`;
}

export function lessonCount(): number {
	return course().lessons.length;
}
