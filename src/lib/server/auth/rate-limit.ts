import { and, desc, eq, gt, lte, sql } from 'drizzle-orm';
import { db, writeTransaction } from '../db';
import { once } from '../db/prepared';
import { rateLimitHits } from '../db/schema';

/** At most `limit` hits in any `windowMs` for one bucket (e.g. "login-email:ana@example.com"). */
export interface RateLimit {
	bucket: string;
	limit: number;
	windowMs: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAt: number };

// The limit-th most recent hit in the window: once it leaves the window, one more hit is allowed.
const limitingHit = once(() =>
	db()
		.select({ at: rateLimitHits.at })
		.from(rateLimitHits)
		.where(and(eq(rateLimitHits.bucket, sql.placeholder('bucket')), gt(rateLimitHits.at, sql.placeholder('since'))))
		.orderBy(desc(rateLimitHits.at))
		.limit(1)
		.offset(sql.placeholder('offset'))
		.prepare()
);

const pruneBucket = once(() =>
	db()
		.delete(rateLimitHits)
		.where(and(eq(rateLimitHits.bucket, sql.placeholder('bucket')), lte(rateLimitHits.at, sql.placeholder('since'))))
		.prepare()
);

/**
 * Checks every limit and, only when all allow it, records one hit in each, in one write transaction so that
 * concurrent requests cannot slip past. Refused attempts are not counted: the wait is never prolonged by retries.
 * Hits live in SQLite, so limits survive a restart.
 */
export function hitRateLimits(limits: RateLimit[], now = Date.now()): RateLimitResult {
	return writeTransaction(() => {
		let retryAt = 0;
		for (const { bucket, limit, windowMs } of limits) {
			const since = now - windowMs;
			pruneBucket().run({ bucket, since });
			const hit = limitingHit().get({ bucket, since, offset: limit - 1 });
			if (hit) retryAt = Math.max(retryAt, hit.at + windowMs);
		}
		if (retryAt) return { allowed: false, retryAt };
		db()
			.insert(rateLimitHits)
			.values(limits.map(({ bucket }) => ({ bucket, at: now })))
			.run();
		return { allowed: true };
	});
}

/** Forgets hits older than olderThanMs in buckets starting with prefix, including buckets that are never hit again. */
export function pruneRateLimitHits(prefix: string, olderThanMs: number, now = Date.now()): void {
	db().run(
		sql`delete from ${rateLimitHits} where substr(${rateLimitHits.bucket}, 1, ${prefix.length}) = ${prefix} and ${rateLimitHits.at} <= ${now - olderThanMs}`
	);
}
