import { and, eq, lt, sql } from 'drizzle-orm';
import { hashToken } from '../auth/tokens';
import { cookieOptions, type CookieOptions } from '../cookies';
import { preparedFor } from '../db/prepared';
import { checkoutBindings } from '../db/schema';

/** The HttpOnly cookie that ties a checkout to the browser that started it. */
export const BROWSER_COOKIE = 'checkout_browser';
const DAY = 24 * 60 * 60;

export function browserCookieOptions(): CookieOptions {
	return cookieOptions('/checkout', DAY);
}

const bind = preparedFor((db) =>
	db
		.insert(checkoutBindings)
		.values({ checkoutSessionId: sql.placeholder('checkoutSessionId'), browserHash: sql.placeholder('browserHash') })
		.onConflictDoUpdate({
			target: checkoutBindings.checkoutSessionId,
			set: { browserHash: sql`excluded.browser_hash` }
		})
		.prepare()
);

const forgetOldBindings = preparedFor((db) =>
	db
		.delete(checkoutBindings)
		.where(lt(checkoutBindings.createdAt, sql.placeholder('before')))
		.prepare()
);

const findBinding = preparedFor((db) =>
	db
		.select({ browserHash: checkoutBindings.browserHash })
		.from(checkoutBindings)
		.where(eq(checkoutBindings.checkoutSessionId, sql.placeholder('checkoutSessionId')))
		.prepare()
);

// Spent in the statement that checks it: of two tabs claiming one checkout, one wins.
const claim = preparedFor((db) =>
	db
		.delete(checkoutBindings)
		.where(
			and(
				eq(checkoutBindings.checkoutSessionId, sql.placeholder('checkoutSessionId')),
				eq(checkoutBindings.browserHash, sql.placeholder('browserHash'))
			)
		)
		.prepare()
);

/**
 * Remembers that this browser (by a hash of its secret) started the checkout. Forgets bindings older than a
 * day: a Checkout Session expires after 24 hours, and a paid one has its order by then.
 */
export function bindCheckout(checkoutSessionId: string, secret: string, now = Date.now()): void {
	bind().run({ checkoutSessionId, browserHash: hashToken(secret) });
	forgetOldBindings().run({ before: now - DAY * 1000 });
}

/** The hash of the browser that started the checkout (its sign-in cookie holds the same secret), or null. */
export function checkoutBrowserHash(checkoutSessionId: string): string | null {
	return findBinding().get({ checkoutSessionId })?.browserHash ?? null;
}

/** Whether this store started the checkout (in the last day) and no browser has claimed it yet. */
export function isBoundCheckout(checkoutSessionId: string): boolean {
	return findBinding().get({ checkoutSessionId }) !== undefined;
}

/** True once, for the browser that started the checkout: the binding is spent in the statement that checks it. */
export function claimCheckout(checkoutSessionId: string, secret: string): boolean {
	return claim().run({ checkoutSessionId, browserHash: hashToken(secret) }).changes > 0;
}
