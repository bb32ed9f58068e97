/**
 * What a broadcast did: its outbox rows by status, the bounces, complaints and unsubscribes of its readers after it
 * was sent, and Resend's delivered and clicked events (no open pixels: opens are not counted).
 */
import { sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import { mailEvents, MAIL_EVENT_TYPES } from '../db/schema';
import { keyRange } from './store';

export interface BroadcastStats {
	queued: number;
	/** Not yet sent: due, or in a batch waiting for the provider. */
	waiting: number;
	sent: number;
	failed: number;
	/** Not sent because the reader left the list, bounced or complained before their turn. */
	skipped: number;
	delivered: number;
	clicked: number;
	bounced: number;
	complained: number;
	unsubscribedAfter: number;
}

const after = (reason: string) =>
	`sum(exists (select 1 from suppressions x where x.email = o.to_email and x.reason = '${reason}' and x.created_at >= o.sent_at))`;
const event = (type: string) =>
	`sum(o.provider_id is not null and exists (select 1 from mail_events m where m.provider_id = o.provider_id and m.type = '${type}'))`;

// Hand-written SQL: one pass over the broadcast's keys (a range of the unique index) counts everything at once.
const statsOf = preparedFor((db) =>
	db.$client.prepare(`select count(*) as queued,
		coalesce(sum(o.status in ('pending', 'waiting')), 0) as waiting,
		coalesce(sum(o.status = 'sent'), 0) as sent,
		coalesce(sum(o.status = 'failed'), 0) as failed,
		coalesce(sum(o.status in ('skipped', 'stopped')), 0) as skipped,
		coalesce(${event('delivered')}, 0) as delivered,
		coalesce(${event('clicked')}, 0) as clicked,
		coalesce(${after('bounced')}, 0) as bounced,
		coalesce(${after('complained')}, 0) as complained,
		coalesce(${after('unsubscribed')}, 0) as unsubscribedAfter
		from outbox o where o.idempotency_key >= @lo and o.idempotency_key < @hi`)
);

export function broadcastStats(id: number): BroadcastStats {
	return statsOf().get(keyRange(id)) as BroadcastStats;
}

const insertEvent = preparedFor((db) =>
	db
		.insert(mailEvents)
		.values({ providerId: sql.placeholder('providerId'), type: sql.placeholder('type') })
		.onConflictDoNothing()
		.prepare()
);

/** Records Resend's email.delivered or email.clicked for the mail it names; false for any other event. */
export function recordMailEvent(type: string, providerId: unknown): boolean {
	const kind = type.replace(/^email\./, '');
	if (!(MAIL_EVENT_TYPES as readonly string[]).includes(kind) || typeof providerId !== 'string' || !providerId)
		return false;
	insertEvent().run({ providerId, type: kind });
	return true;
}
