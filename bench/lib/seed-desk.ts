/**
 * A store at the size the seller's desk must stay fast at: 50,000 students (enrolments and progress), 100,000
 * orders and 200,000 list subscribers, written in one transaction with prepared inserts (a few seconds).
 * `seedSubscribers` is usable on its own by any bench line that needs a big list.
 */
import type Database from 'better-sqlite3';
import type { Course } from '../../src/lib/server/course';
import { columnsOf } from './seed';

const DAY = 24 * 60 * 60 * 1000;

export interface DeskSize {
	students: number;
	orders: number;
	subscribers: number;
}

export const DESK_SIZE: DeskSize = { students: 50_000, orders: 100_000, subscribers: 200_000 };

export interface SeededDesk extends DeskSize {
	progressRows: number;
	/** An enrolled student of 40 days whose lessons are all open and partly read: the gated lesson's reader. */
	benchStudentId: number;
	/** The user whose address is in ADMIN_EMAILS. */
	adminUserId: number;
	adminEmail: string;
	/** An order id about two thirds down the list, to measure a later page keyed by it. */
	middleOrderId: number;
	/** A buyer's address, for searches. */
	sampleEmail: string;
}

/**
 * A deterministic pseudo-random sequence (mulberry32), so that two runs seed the same data. Integer arithmetic
 * throughout: a float LCG loses its low bits past 2^53 and falls into a short cycle.
 */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/**
 * A prepared insert of the named columns. Columns this file does not know that are required and have no default
 * get a neutral value, so the seeding keeps working when another change adds one. Returns the new rowid.
 */
export function inserter(db: Database.Database, table: string, names: string[]): (...values: unknown[]) => number {
	const columns = columnsOf(db, table);
	if (!columns) throw new Error(`no table ${table}`);
	const known = names.filter((n) => columns.has(n));
	const keep = names.map((n) => columns.has(n));
	const required = [...columns.values()].filter(
		(c) => c.notnull && c.dflt_value === null && !c.pk && !known.includes(c.name)
	);
	const all = [...known, ...required.map((c) => c.name)];
	const statement = db.prepare(
		`insert into "${table}" (${all.map((n) => `"${n}"`).join(', ')}) values (${all.map(() => '?').join(', ')})`
	);
	let row = 0;
	return (...values) => {
		row++;
		const filler = required.map((c) => (/int|real|num/i.test(c.type) ? 0 : `${c.name}-${row}`));
		return Number(statement.run(...values.filter((_, i) => keep[i]), ...filler).lastInsertRowid);
	};
}

/** `count` list subscribers who signed up over the last year, 85% confirmed; call inside a transaction. */
export function seedSubscribers(db: Database.Database, count: number, seed = 7): number {
	const next = random(seed);
	const now = Date.now();
	const insert = inserter(db, 'subscribers', [
		'email',
		'name',
		'status',
		'consent_at',
		'consent_page',
		'consent_form',
		'consent_ip',
		'consent_user_agent',
		'consent_text_version',
		'confirmed_at',
		'unsubscribed_at',
		'created_at'
	]);
	for (let i = 0; i < count; i++) {
		const joined = now - Math.floor(next() * 365 * DAY);
		const roll = next();
		const status = roll < 0.8 ? 'confirmed' : roll < 0.93 ? 'pending' : 'unsubscribed';
		insert(
			`reader${i + 1}@list.bench.example`,
			i % 4 ? null : `পাঠক ${i + 1}`,
			status,
			joined,
			i % 3 ? '/' : '/lessons/introduction',
			'signup',
			null,
			'Mozilla/5.0 (Linux; Android 13) Mobile',
			'1',
			status === 'pending' ? null : joined + 3_600_000,
			status === 'unsubscribed' ? joined + 30 * DAY : null,
			joined
		);
	}
	return count;
}

const WALLETS = ['bkash', 'nagad', 'rocket', 'bank'] as const;

/**
 * Seeds the desk's store into an empty, migrated database, in one transaction. Orders are spread over the last
 * year: each student has the order their enrolment points at, and the rest are repeat purchases; 5% are refunded
 * and 1% disputed, 3% of enrolments revoked. Students read the lessons open to them in order, some to the end.
 */
export function seedDesk(db: Database.Database, course: Course, size: DeskSize = DESK_SIZE): SeededDesk {
	const next = random(42);
	const now = Date.now();
	const adminEmail = 'seller@bench.example';
	let progressRows = 0;
	let benchStudentId = 0;
	let adminUserId = 0;
	let middleOrderId = 0;

	db.transaction(() => {
		const addUser = inserter(db, 'users', ['email', 'name', 'created_at']);
		const addOrder = inserter(db, 'orders', [
			'method',
			'checkout_session_id',
			'payment_intent_id',
			'user_id',
			'amount',
			'currency',
			'promotion_code',
			'buyer_email',
			'buyer_name',
			'reference',
			'created_at'
		]);
		const addEnrolment = inserter(db, 'enrolments', [
			'user_id',
			'order_id',
			'status',
			'enrolled_at',
			'updated_at',
			'last_active_at'
		]);
		const addProgress = inserter(db, 'progress', [
			'user_id',
			'lesson_slug',
			'first_viewed_at',
			'last_viewed_at',
			'completed_at'
		]);
		const addPaymentState = inserter(db, 'payment_states', ['payment_intent_id', 'refunded', 'dispute_status']);
		adminUserId = addUser(adminEmail, 'বিক্রেতা', now - 400 * DAY);

		// Every order's time, oldest first, so order ids rise with time as they do in a real store.
		const times = Array.from({ length: size.orders }, () => now - Math.floor(next() * 365 * DAY)).sort((a, b) => a - b);
		// The first order of each student comes at a random place in that history; later ones are repeat purchases.
		const buyerOf = new Array<number>(size.orders);
		const firstOrderAt = new Set<number>();
		while (firstOrderAt.size < size.students) firstOrderAt.add(Math.floor(next() * size.orders));
		const firsts = [...firstOrderAt].sort((a, b) => a - b);
		firsts.forEach((at, student) => (buyerOf[at] = student));
		let seen = 0;
		for (let i = 0; i < size.orders; i++) {
			if (buyerOf[i] !== undefined) seen = buyerOf[i] + 1;
			else buyerOf[i] = Math.floor(next() * Math.max(1, seen));
		}

		const userIds = firsts.map((at, s) => addUser(`student${s + 1}@bench.example`, `শিক্ষার্থী ${s + 1}`, times[at]));
		const enrolmentOrder = new Array<number>(size.students);
		const stripeAmount = course.price;
		for (let i = 0; i < size.orders; i++) {
			const student = buyerOf[i];
			const roll = next();
			const method = roll < 0.7 ? 'stripe' : roll < 0.97 ? WALLETS[Math.floor(next() * 4)] : 'manual';
			const stripe = method === 'stripe';
			const trx = `TRX${String(i + 1).padStart(8, '0')}`;
			// A wallet order's payment id is "method:TrxID", as an approved claim writes it.
			const paymentId = stripe ? `pi_bench_${i + 1}` : method === 'manual' ? null : `${method}:${trx}`;
			const id = addOrder(
				method,
				stripe ? `cs_bench_${i + 1}` : null,
				paymentId,
				userIds[student],
				stripeAmount,
				course.currency,
				stripe && i % 10 === 0 ? 'LAUNCH' : null,
				`student${student + 1}@bench.example`,
				`শিক্ষার্থী ${student + 1}`,
				method === 'manual' ? `রসিদ ${i + 1}` : null,
				times[i]
			);
			if (enrolmentOrder[student] === undefined) enrolmentOrder[student] = id;
			if (stripe && next() < 0.06)
				addPaymentState(`pi_bench_${i + 1}`, next() < 0.85 ? 1 : 0, next() < 0.5 ? 'needs_response' : null);
			if (i === Math.floor(size.orders / 3)) middleOrderId = id;
		}

		userIds.forEach((userId, s) => {
			const enrolledAt = times[firsts[s]];
			const days = (now - enrolledAt) / DAY;
			const open = course.lessons.filter((l) => l.dripDay <= days);
			const read = Math.floor(next() * (open.length + 1));
			const views = open
				.slice(0, read)
				.map((lesson, n) => Math.min(enrolledAt + (lesson.dripDay + n * 0.3) * DAY, now - (read - n) * 1000));
			const status = next() < 0.03 ? 'revoked' : 'active';
			// The store keeps the latest view on the enrolment as it writes the progress.
			addEnrolment(userId, enrolmentOrder[s], status, enrolledAt, enrolledAt, views.length ? Math.max(...views) : null);
			views.forEach((viewed, n) => {
				addProgress(userId, open[n].slug, viewed, viewed, next() < 0.7 ? Math.min(viewed + 600_000, now) : null);
				progressRows++;
			});
		});
		// A reader enrolled 40 days ago with every lesson open, who has read three.
		benchStudentId = addUser('reader@bench.example', 'পাঠক', now - 40 * DAY);
		const order = addOrder(
			'stripe',
			'cs_bench_reader',
			'pi_bench_reader',
			benchStudentId,
			stripeAmount,
			course.currency,
			null,
			'reader@bench.example',
			'পাঠক',
			null,
			now - 40 * DAY
		);
		addEnrolment(benchStudentId, order, 'active', now - 40 * DAY, now - 40 * DAY, now - 28 * DAY);
		course.lessons.slice(0, 3).forEach((lesson, n) => {
			const at = now - (30 - n) * DAY;
			addProgress(benchStudentId, lesson.slug, at, at, at + 600_000);
		});
		seedSubscribers(db, size.subscribers);
	})();

	return {
		...size,
		progressRows,
		benchStudentId,
		adminUserId,
		adminEmail,
		middleOrderId,
		sampleEmail: `student${Math.floor(size.students / 2)}@bench.example`
	};
}
