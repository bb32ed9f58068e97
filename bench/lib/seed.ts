import type Database from 'better-sqlite3';
import { hashToken, newToken } from '../../src/lib/server/auth/tokens';
import type { Course } from '../../src/lib/server/course';

const DAY = 24 * 60 * 60 * 1000;

interface Column {
	name: string;
	type: string;
	notnull: number;
	dflt_value: unknown;
	pk: number;
}

/** The columns of a table, or null when the table does not exist (yet) in this database. */
export function columnsOf(db: Database.Database, table: string): Map<string, Column> | null {
	const rows = db.prepare(`select * from pragma_table_info(?)`).all(table) as Column[];
	return rows.length ? new Map(rows.map((c) => [c.name, c])) : null;
}

/**
 * Inserts rows into a table whose exact columns this file does not own: values for columns that do not
 * exist are dropped, and a required column without a default gets a neutral value. So the seeding keeps
 * working when another change adds a column.
 */
export function insertRows(db: Database.Database, table: string, rows: Record<string, unknown>[]): number[] {
	const columns = columnsOf(db, table);
	if (!columns) throw new Error(`no table ${table}`);
	const names = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((n) => columns.has(n));
	const required = [...columns.values()].filter(
		(c) => c.notnull && c.dflt_value === null && !c.pk && !names.includes(c.name)
	);
	const all = [...names, ...required.map((c) => c.name)];
	const insert = db.prepare(
		`insert into "${table}" (${all.map((n) => `"${n}"`).join(', ')}) values (${all.map(() => '?').join(', ')})`
	);
	const ids: number[] = [];
	rows.forEach((row, i) => {
		const filler = required.map((c) => (/int|real|num/i.test(c.type) ? 0 : `${c.name}-${i}`));
		ids.push(Number(insert.run(...names.map((n) => row[n] ?? null), ...filler).lastInsertRowid));
	});
	return ids;
}

/** A deterministic pseudo-random sequence, so that two runs seed the same data. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

export interface Seeded {
	students: number;
	progressRows: number;
	subscribers: number | null;
	/** A student enrolled 30 days ago (every lesson open) who has finished the first lessons. */
	benchStudentId: number;
	/** A student who bought a moment ago: the drip still keeps most lessons locked (a launch day's reader). */
	newStudentId: number;
}

/**
 * What a store a few months in holds: 1,000 students enrolled over the last 30 days, each with an order,
 * an enrolment and progress on the lessons opened to them; and 10,000 list subscribers when the
 * subscribers table exists.
 */
export function seedStore(db: Database.Database, course: Course, students = 1000, subscribers = 10_000): Seeded {
	const next = random(42);
	const now = Date.now();
	let progressRows = 0;
	let subscriberCount: number | null = null;
	let benchStudentId = 0;
	let newStudentId = 0;

	db.transaction(() => {
		const enrolledAt = Array.from({ length: students }, (_, i) =>
			i === 0 ? now - 30 * DAY : i === students - 1 ? now - 60_000 : now - Math.floor(next() * 30 * DAY)
		);
		const userIds = insertRows(
			db,
			'users',
			enrolledAt.map((at, i) => ({ email: `student${i + 1}@bench.example`, name: `শিক্ষার্থী ${i + 1}`, created_at: at }))
		);
		benchStudentId = userIds[0];
		newStudentId = userIds[students - 1];
		const orderIds = columnsOf(db, 'orders')
			? insertRows(
					db,
					'orders',
					userIds.map((userId, i) => ({
						checkout_session_id: `cs_bench_${i + 1}`,
						payment_intent_id: `pi_bench_${i + 1}`,
						user_id: userId,
						amount: course.price,
						currency: course.currency,
						buyer_email: `student${i + 1}@bench.example`,
						created_at: enrolledAt[i]
					}))
				)
			: [];
		insertRows(
			db,
			'enrolments',
			userIds.map((userId, i) => ({
				user_id: userId,
				order_id: orderIds[i] ?? null,
				status: 'active',
				enrolled_at: enrolledAt[i],
				updated_at: enrolledAt[i]
			}))
		);

		const progress: Record<string, unknown>[] = [];
		userIds.forEach((userId, i) => {
			const days = (now - enrolledAt[i]) / DAY;
			const open = course.lessons.filter((l) => l.dripDay <= days);
			// The bench student has done the first three lessons; others have read a random share of theirs.
			const read = i === 0 ? 3 : Math.floor(next() * (open.length + 1));
			open.slice(0, read).forEach((lesson, n) => {
				// Never in the future: a student who enrolled a minute ago read in that minute. A view ahead of now made
				// the store take every later view of that student for a new one, and write it.
				const viewed = Math.min(enrolledAt[i] + (lesson.dripDay + n * 0.1) * DAY, now - (read - n) * 1000);
				progress.push({
					user_id: userId,
					lesson_slug: lesson.slug,
					first_viewed_at: viewed,
					last_viewed_at: viewed,
					completed_at: i === 0 || next() < 0.7 ? Math.min(viewed + 600_000, now) : null
				});
			});
		});
		if (progress.length) insertRows(db, 'progress', progress);
		progressRows = progress.length;

		if (columnsOf(db, 'subscribers')) {
			const rows = Array.from({ length: subscribers }, (_, i) => {
				const joined = now - Math.floor(next() * 90 * DAY);
				const confirmed = next() < 0.85;
				return {
					email: `reader${i + 1}@bench.example`,
					name: null,
					status: confirmed ? 'confirmed' : 'pending',
					consent_at: joined,
					consent_page: i % 3 ? '/' : '/lessons/introduction',
					consent_form: 'signup',
					consent_ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
					consent_user_agent: 'Mozilla/5.0 (Linux; Android 13) Mobile',
					consent_text_version: '1',
					confirmed_at: confirmed ? joined + 3_600_000 : null,
					created_at: joined
				};
			});
			insertRows(db, 'subscribers', rows);
			subscriberCount = subscribers;
		}
	})();

	return { students, progressRows, subscribers: subscriberCount, benchStudentId, newStudentId };
}

/**
 * Signs a student in the way the sign-in work does: a random token in the `session` cookie, only its
 * SHA-256 (hex) in sessions.id_hash. Returns the Cookie header.
 */
export function createSession(db: Database.Database, userId: number): string {
	const token = newToken();
	insertRows(db, 'sessions', [
		{
			id_hash: hashToken(token),
			user_id: userId,
			expires_at: Date.now() + 30 * DAY,
			created_at: Date.now()
		}
	]);
	return `session=${token}`;
}
