import type { Cookies } from '@sveltejs/kit';
import { and, eq, lt, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { db } from '../db';
import { once } from '../db/prepared';
import { checkoutBindings } from '../db/schema';
import { config } from '../env';

/** The HttpOnly cookie that ties a checkout to the browser that started it. */
export const BROWSER_COOKIE = 'checkout_browser';
const DAY = 24 * 60 * 60;

const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function browserCookieOptions(): Parameters<Cookies['set']>[2] {
	return {
		path: '/checkout',
		httpOnly: true,
		sameSite: 'lax',
		secure: config().origin.startsWith('https:'),
		maxAge: DAY
	};
}

const bound = once(() =>
	db()
		.select({ id: checkoutBindings.checkoutSessionId })
		.from(checkoutBindings)
		.where(eq(checkoutBindings.checkoutSessionId, sql.placeholder('checkoutSessionId')))
		.prepare()
);

/**
 * Remembers that this browser (by a hash of its secret) started the checkout. Forgets bindings older than a
 * day: a Checkout Session expires after 24 hours, and a paid one has its order by then.
 */
export function bindCheckout(checkoutSessionId: string, secret: string): void {
	const d = db();
	d.insert(checkoutBindings)
		.values({ checkoutSessionId, browserHash: hash(secret) })
		.onConflictDoUpdate({ target: checkoutBindings.checkoutSessionId, set: { browserHash: hash(secret) } })
		.run();
	d.delete(checkoutBindings)
		.where(lt(checkoutBindings.createdAt, sql`${Date.now() - DAY * 1000}`))
		.run();
}

/** The hash of the browser that started the checkout (its sign-in cookie holds the same secret), or null. */
export function checkoutBrowserHash(checkoutSessionId: string): string | null {
	const row = db()
		.select({ browserHash: checkoutBindings.browserHash })
		.from(checkoutBindings)
		.where(eq(checkoutBindings.checkoutSessionId, checkoutSessionId))
		.get();
	return row?.browserHash ?? null;
}

/** Whether this store started the checkout (in the last day) and no browser has claimed it yet. */
export function isBoundCheckout(checkoutSessionId: string): boolean {
	return bound().get({ checkoutSessionId }) !== undefined;
}

/** True once, for the browser that started the checkout: the binding is spent in the statement that checks it. */
export function claimCheckout(checkoutSessionId: string, secret: string): boolean {
	const claimed = db()
		.delete(checkoutBindings)
		.where(
			and(eq(checkoutBindings.checkoutSessionId, checkoutSessionId), eq(checkoutBindings.browserHash, hash(secret)))
		)
		.run();
	return claimed.changes > 0;
}
