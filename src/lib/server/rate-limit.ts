import { and, desc, eq, gt, gte, lt, lte, sql } from 'drizzle-orm';
import { writeTransaction } from './db';
import { preparedFor } from './db/prepared';
import { rateLimitHits } from './db/schema';

/**
 * At most `limit` hits in any `windowMs` for one bucket, named "<kind>:<key>": "login-ip:203.0.113.5",
 * "login-email:ana@example.com", "subscribe-ip:…", "checkout-ip:…".
 */
export interface RateLimit {
	bucket: string;
	limit: number;
	windowMs: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAt: number };

// A kind's buckets run from "kind:" up to "kind;" (";" sorts right after ":"): one range of the index.
const forgetOldHits = preparedFor((db) =>
	db
		.delete(rateLimitHits)
		.where(
			and(
				gte(rateLimitHits.bucket, sql.placeholder('from')),
				lt(rateLimitHits.bucket, sql.placeholder('to')),
				lte(rateLimitHits.at, sql.placeholder('since'))
			)
		)
		.prepare()
);

// The limit-th most recent hit in the window: once it leaves the window, one more hit is allowed.
const limitingHit = preparedFor((db) =>
	db
		.select({ at: rateLimitHits.at })
		.from(rateLimitHits)
		.where(and(eq(rateLimitHits.bucket, sql.placeholder('bucket')), gt(rateLimitHits.at, sql.placeholder('since'))))
		.orderBy(desc(rateLimitHits.at))
		.limit(1)
		.offset(sql.placeholder('offset'))
		.prepare()
);

const recordHit = preparedFor((db) =>
	db
		.insert(rateLimitHits)
		.values({ bucket: sql.placeholder('bucket'), at: sql.placeholder('at') })
		.prepare()
);

/**
 * Checks every limit and, only when all allow it, records one hit for each, in one write transaction so that
 * concurrent requests cannot slip past. Refused attempts are not counted: the wait is never prolonged by retries.
 * Hits older than their kind's window are forgotten on the way, those of keys never seen again included.
 * Hits live in SQLite, so limits survive a restart.
 */
export function hitRateLimits(limits: RateLimit[], now = Date.now()): RateLimitResult {
	return writeTransaction(() => {
		let retryAt = 0;
		for (const { bucket, limit, windowMs } of limits) {
			const since = now - windowMs;
			const kind = bucket.split(':', 1)[0];
			if (kind === bucket) throw new Error(`rate limit bucket "${bucket}" is not "<kind>:<key>"`);
			forgetOldHits().run({ from: `${kind}:`, to: `${kind};`, since });
			const hit = limitingHit().get({ bucket, since, offset: limit - 1 });
			if (hit) retryAt = Math.max(retryAt, hit.at + windowMs);
		}
		if (retryAt) return { allowed: false, retryAt };
		for (const { bucket } of limits) recordHit().run({ bucket, at: now });
		return { allowed: true };
	});
}
