import { eq, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { stripeEvents } from '../db/schema';

/** A Stripe event by its id: handled ones are kept, so a redelivery is a no-op. */
export interface StripeEventRef {
	id: string;
	type: string;
}

export const seenStripeEvent = preparedFor((db) =>
	db
		.select({ id: stripeEvents.id })
		.from(stripeEvents)
		.where(eq(stripeEvents.id, sql.placeholder('id')))
		.prepare()
);

export const recordStripeEvent = preparedFor((db) =>
	db
		.insert(stripeEvents)
		.values({ id: sql.placeholder('id'), type: sql.placeholder('type') })
		.onConflictDoNothing()
		.prepare()
);
