import type Database from 'better-sqlite3';
import type { Course } from '../../src/lib/server/course';
import type { LoadOptions, Measurement } from './measure';

/** A page the benchmark loads with autocannon, alternating with the plain node:http server. */
export interface Target {
	name: string;
	path: string;
	/** Sent with the signed-in, enrolled student's session cookie. */
	signedIn?: boolean;
	/** Sent as the student who enrolled a minute ago (most lessons still locked) instead. */
	newStudent?: boolean;
	/**
	 * Checked once before measuring, on the decoded page: a reason when the line cannot be measured yet
	 * (its route belongs to work that is not merged), or null. Without it, any 200 will do.
	 */
	unavailable?: (status: number, html: string) => string | null;
}

export interface BenchContext {
	/** The store under test (`node build`), e.g. http://127.0.0.1:41234. */
	origin: string;
	serverPid: number;
	/** A read/write handle on the store's (seeded) database. */
	db: Database.Database;
	databasePath: string;
	course: Course;
	/** Cookie header of a signed-in student enrolled 30 days ago. */
	sessionCookie: string;
	/** Cookie header of a signed-in student enrolled a minute ago. */
	newStudentCookie: string;
	connections: number;
	seconds: number;
	/** Loads a URL with autocannon with the run's settings (override them in options). */
	load(url: string, options?: Partial<LoadOptions>): Promise<Measurement>;
}

/** A line that is not a page: webhook deliveries per second, mails sent per second, a drain time. */
export interface SuiteLine {
	name: string;
	value: number;
	unit: string;
	note?: string;
}

/**
 * More lines for `npm run bench`: a file in bench/suites/ that exports `suite`. Pages go in `targets`
 * (measured alongside the others), anything else in `run`.
 */
export interface BenchSuite {
	name: string;
	targets?: (ctx: BenchContext) => Target[];
	run?: (ctx: BenchContext) => Promise<SuiteLine[]>;
}
