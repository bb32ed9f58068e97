import { and, eq, lt, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { course } from '../course';
import { preparedFor } from '../db/prepared';
import { demoCheckoutSessions } from '../db/schema';
import { storeSecret } from '../settings';
import type { CheckoutFacts } from './checkout-session';

export type DemoSession = typeof demoCheckoutSessions.$inferSelect;

const DAY_MS = 24 * 60 * 60 * 1000;

const insertSession = preparedFor((db) =>
	db
		.insert(demoCheckoutSessions)
		.values({
			id: sql.placeholder('id'),
			courseId: sql.placeholder('courseId'),
			amount: sql.placeholder('amount'),
			currency: sql.placeholder('currency'),
			source: sql.placeholder('source')
		})
		.prepare()
);

// Like Stripe's sessions, a demo checkout expires after a day; a paid one stays, as its order's record.
const forgetUnpaidSessions = preparedFor((db) =>
	db
		.delete(demoCheckoutSessions)
		.where(and(eq(demoCheckoutSessions.status, 'open'), lt(demoCheckoutSessions.createdAt, sql.placeholder('before'))))
		.prepare()
);

const findSession = preparedFor((db) =>
	db
		.select()
		.from(demoCheckoutSessions)
		.where(eq(demoCheckoutSessions.id, sql.placeholder('id')))
		.prepare()
);

const completeSession = preparedFor((db) =>
	db
		.update(demoCheckoutSessions)
		.set({
			status: 'complete',
			email: sql`${sql.placeholder('email')}`,
			name: sql`${sql.placeholder('name')}`,
			paymentIntentId: sql`${sql.placeholder('paymentIntentId')}`,
			completedAt: sql`${sql.placeholder('completedAt')}`
		})
		.where(and(eq(demoCheckoutSessions.id, sql.placeholder('id')), eq(demoCheckoutSessions.status, 'open')))
		.returning()
		.prepare()
);

/** Starts a demo checkout for the course at the catalogue's price; returns its id. Forgets unpaid ones a day old. */
export function createDemoSession(source: string, now = Date.now()): string {
	const { id: courseId, price, currency } = course();
	const id = `cs_demo_${randomBytes(16).toString('hex')}`;
	insertSession().run({ id, courseId, amount: price, currency, source });
	forgetUnpaidSessions().run({ before: now - DAY_MS });
	return id;
}

export function findDemoSession(id: string): DemoSession | undefined {
	return findSession().get({ id });
}

/** The demo session as the fulfilment reads a Checkout Session, or null when there is none. */
export function readDemoSession(id: string): CheckoutFacts | null {
	const s = findDemoSession(id);
	if (!s) return null;
	return {
		id: s.id,
		mode: 'payment',
		paymentStatus: s.status === 'complete' ? 'paid' : 'unpaid',
		courseId: s.courseId,
		amountSubtotal: s.amount,
		amountTotal: s.amount,
		amountDiscount: 0,
		currency: s.currency,
		email: s.email,
		name: s.name,
		paymentIntentId: s.paymentIntentId,
		promotionCode: null,
		livemode: false,
		source: s.source
	};
}

const dropOpenSession = preparedFor((db) =>
	db
		.delete(demoCheckoutSessions)
		.where(and(eq(demoCheckoutSessions.id, sql.placeholder('id')), eq(demoCheckoutSessions.status, 'open')))
		.returning()
		.prepare()
);

/** The buyer left an open demo checkout: it is gone, as an expired Stripe session is; undefined when it was not open. */
export function expireDemoSession(id: string): DemoSession | undefined {
	return dropOpenSession().get({ id });
}

/** Marks an open demo session paid by email; returns it, or undefined when it was not open. */
export function completeDemoSession(id: string, email: string, name: string | null): DemoSession | undefined {
	return completeSession().get({
		id,
		email,
		name,
		paymentIntentId: `pi_demo_${randomBytes(12).toString('hex')}`,
		completedAt: Date.now()
	});
}

/** The key that signs demo webhook events, generated once per database and kept in settings. */
export function demoWebhookSecret(): string {
	return storeSecret('demo_stripe_webhook_secret', () => `whsec_${randomBytes(24).toString('base64url')}`);
}
