/** Signups and confirmations since a time, from the stored per-day counts (subscriber_days) and the rows at the edge. */
import { and, count, gte, lt, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { subscriberDays, subscribers } from '../db/schema';
import { dayFrom, storedDayOffset } from './sales';

export interface SubscribersSince {
	signups: number;
	confirmations: number;
	/** Confirmations whose subscriber is still confirmed. */
	stillConfirmed: number;
}

// Kept by triggers on subscribers (migration 0015), cut into days as sales_days are.
const storedDays = preparedFor((db) =>
	db
		.select({
			signups: sql<number>`coalesce(sum(${subscriberDays.signups}), 0)`,
			confirmations: sql<number>`coalesce(sum(${subscriberDays.confirmations}), 0)`,
			stillConfirmed: sql<number>`coalesce(sum(${subscriberDays.stillConfirmed}), 0)`
		})
		.from(subscriberDays)
		.where(gte(subscriberDays.day, sql.placeholder('from')))
		.prepare()
);

// The part of a period before its first whole stored day: under a day of rows, each an index range.
const signupsBetween = preparedFor((db) =>
	db
		.select({ n: count() })
		.from(subscribers)
		.where(
			and(gte(subscribers.createdAt, sql.placeholder('since')), lt(subscribers.createdAt, sql.placeholder('until')))
		)
		.prepare()
);
const confirmationsBetween = preparedFor((db) =>
	db
		.select({
			n: count(),
			still: sql<number>`coalesce(sum(${subscribers.status} = 'confirmed'), 0)`
		})
		.from(subscribers)
		.where(
			and(gte(subscribers.confirmedAt, sql.placeholder('since')), lt(subscribers.confirmedAt, sql.placeholder('until')))
		)
		.prepare()
);

/** The stored whole days from `day` (a start of a stored day) on. */
export function subscriberDaysFrom(day: number): SubscribersSince {
	return storedDays().get({ from: day }) ?? { signups: 0, confirmations: 0, stillConfirmed: 0 };
}

/** Signups and confirmations in [since, until), from the subscribers themselves: for the part before a whole day. */
export function subscribersBetween(since: number, until: number): SubscribersSince {
	if (until <= since) return { signups: 0, confirmations: 0, stillConfirmed: 0 };
	const confirmed = confirmationsBetween().get({ since, until });
	return {
		signups: signupsBetween().get({ since, until })?.n ?? 0,
		confirmations: confirmed?.n ?? 0,
		stillConfirmed: confirmed?.still ?? 0
	};
}

/** Signups (by when they were made) and confirmations (by when they were confirmed) at or after `since`. */
export function subscribersSince(since: number): SubscribersSince {
	const day = dayFrom(since, storedDayOffset());
	const stored = subscriberDaysFrom(day);
	const edge = subscribersBetween(since, day);
	return {
		signups: stored.signups + edge.signups,
		confirmations: stored.confirmations + edge.confirmations,
		stillConfirmed: stored.stillConfirmed + edge.stillConfirmed
	};
}
