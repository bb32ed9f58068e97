import { and, eq, lt } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { course } from '../course';
import { db } from '../db';
import { demoCheckoutSessions, settings } from '../db/schema';
import type { CheckoutFacts } from './checkout-session';

export type DemoSession = typeof demoCheckoutSessions.$inferSelect;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Starts a demo checkout for the course at the catalogue's price; returns its id. Forgets unpaid ones a day old. */
export function createDemoSession(): string {
	const { id: courseId, price, currency } = course();
	const id = `cs_demo_${randomBytes(16).toString('hex')}`;
	db().insert(demoCheckoutSessions).values({ id, courseId, amount: price, currency }).run();
	// Like Stripe's sessions, a demo checkout expires after a day; a paid one stays, as its order's record.
	db()
		.delete(demoCheckoutSessions)
		.where(and(eq(demoCheckoutSessions.status, 'open'), lt(demoCheckoutSessions.createdAt, Date.now() - DAY_MS)))
		.run();
	return id;
}

export function findDemoSession(id: string): DemoSession | undefined {
	return db().select().from(demoCheckoutSessions).where(eq(demoCheckoutSessions.id, id)).get();
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
		livemode: false
	};
}

/** Marks an open demo session paid by email; returns it, or undefined when it was not open. */
export function completeDemoSession(id: string, email: string, name: string | null): DemoSession | undefined {
	return db()
		.update(demoCheckoutSessions)
		.set({
			status: 'complete',
			email,
			name,
			paymentIntentId: `pi_demo_${randomBytes(12).toString('hex')}`,
			completedAt: Date.now()
		})
		.where(and(eq(demoCheckoutSessions.id, id), eq(demoCheckoutSessions.status, 'open')))
		.returning()
		.get();
}

const SECRET_KEY = 'demo_stripe_webhook_secret';
let secret: string | undefined;

/** The key that signs demo webhook events, generated once per database and kept in settings. */
export function demoWebhookSecret(): string {
	if (secret) return secret;
	const candidate = `whsec_${randomBytes(24).toString('base64url')}`;
	db().insert(settings).values({ key: SECRET_KEY, value: candidate }).onConflictDoNothing().run();
	secret = db().select({ value: settings.value }).from(settings).where(eq(settings.key, SECRET_KEY)).get()!.value;
	return secret;
}
