/**
 * The desk's view of the email list: counts by status and by source, a key-paginated search with each address's
 * consent record, what each sequence step did, and the mails that failed.
 */
import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { course } from '../course';
import { db } from '../db';
import { preparedFor } from '../db/prepared';
import { outbox, subscriberImports, subscribers, suppressions, type OutboxStatus } from '../db/schema';

/** What the list is filtered by: the subscriber's own status, or a suppression of their address. */
export const LIST_STATUSES = ['pending', 'confirmed', 'unsubscribed', 'bounced', 'complained'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export interface ListCounts {
	byStatus: Record<ListStatus, number>;
	/** The form the address came from (sales-page, lesson-end, signup-page) or "import". */
	bySource: { source: string; n: number }[];
}

const statusCounts = preparedFor((db) =>
	db.select({ status: subscribers.status, n: count() }).from(subscribers).groupBy(subscribers.status).prepare()
);
const sourceCounts = preparedFor((db) =>
	db
		.select({ source: subscribers.consentForm, n: count() })
		.from(subscribers)
		.groupBy(subscribers.consentForm)
		.prepare()
);
const suppressedCounts = preparedFor((db) =>
	db
		.select({ reason: suppressions.reason, n: count() })
		.from(suppressions)
		.where(inArray(suppressions.reason, ['bounced', 'complained']))
		.groupBy(suppressions.reason)
		.prepare()
);

/** Every count of the list, each read from an index (subscribers_status, subscribers_source, suppressions_by_reason). */
export function listCounts(): ListCounts {
	const byStatus: Record<ListStatus, number> = { pending: 0, confirmed: 0, unsubscribed: 0, bounced: 0, complained: 0 };
	for (const { status, n } of statusCounts().all()) byStatus[status] = n;
	for (const { reason, n } of suppressedCounts().all()) byStatus[reason as 'bounced' | 'complained'] = n;
	return { byStatus, bySource: sourceCounts().all() };
}

export interface SubscriberRow {
	id: number;
	email: string;
	name: string | null;
	status: 'pending' | 'confirmed' | 'unsubscribed';
	consentAt: number;
	consentPage: string;
	consentForm: string;
	consentTextVersion: string;
	confirmedAt: number | null;
	unsubscribedAt: number | null;
	importId: number | null;
	/** The address's suppressions, comma-separated (unsubscribed, bounced, complained), or null. */
	suppressed: string | null;
	/** Sequences running for the address, comma-separated, or null. */
	running: string | null;
}

export interface ListFilter {
	query: string;
	status: ListStatus | '';
	source: string;
	importId: number | null;
	/** Show subscribers with an id below this one (the last of the previous page). */
	before: number | null;
}

const escapeLike = (text: string): string => text.replace(/[%_\\]/g, (c) => `\\${c}`);

/** An address by its beginning (the email index as a range), a name anywhere. */
function matching(query: string): SQL | undefined {
	const q = query.trim().toLowerCase();
	if (!q) return undefined;
	return or(
		and(sql`${subscribers.email} >= ${q}`, sql`${subscribers.email} < ${q + '\uffff'}`),
		sql`lower(coalesce(${subscribers.name}, '')) like ${`%${escapeLike(q)}%`} escape '\\'`
	);
}

function withStatus(status: ListStatus | ''): SQL | undefined {
	if (!status) return undefined;
	if (status === 'bounced' || status === 'complained')
		return sql`${subscribers.email} in (select ${suppressions.email} from ${suppressions} where ${suppressions.reason} = ${status})`;
	return eq(subscribers.status, status);
}

/** One page of subscribers, newest first (limit + 1 rows, so the caller knows whether there is a next page). */
export function listSubscribers(filter: ListFilter, limit = 50): SubscriberRow[] {
	// Filters combine freely, so the statement is built per request: an admin page, not a reader's hot path.
	return db()
		.select({
			id: subscribers.id,
			email: subscribers.email,
			name: subscribers.name,
			status: subscribers.status,
			consentAt: subscribers.consentAt,
			consentPage: subscribers.consentPage,
			consentForm: subscribers.consentForm,
			consentTextVersion: subscribers.consentTextVersion,
			confirmedAt: subscribers.confirmedAt,
			unsubscribedAt: subscribers.unsubscribedAt,
			importId: subscribers.importId,
			suppressed: sql<
				string | null
			>`(select group_concat(reason, ', ') from suppressions s where s.email = ${subscribers.email})`,
			running: sql<
				string | null
			>`(select group_concat(sequence, ', ') from sequence_runs r where r.email = ${subscribers.email} and r.status = 'active')`
		})
		.from(subscribers)
		.where(
			and(
				filter.before != null ? lt(subscribers.id, filter.before) : undefined,
				withStatus(filter.status),
				filter.source ? eq(subscribers.consentForm, filter.source) : undefined,
				filter.importId != null ? eq(subscribers.importId, filter.importId) : undefined,
				matching(filter.query)
			)
		)
		.orderBy(desc(subscribers.id))
		.limit(limit + 1)
		.all();
}

export interface StepFigures {
	sequence: string;
	step: string;
	subject: string;
	sent: number;
	failed: number;
	skipped: number;
	/** Addresses whose last mail before they unsubscribed was this step. */
	unsubscribedAfter: number;
}

const stepStatusCounts = preparedFor((db) =>
	db
		.select({ status: outbox.status, n: count() })
		.from(outbox)
		.where(eq(outbox.template, sql.placeholder('template')))
		.groupBy(outbox.status)
		.prepare()
);

// For each unsubscribed address, the sequence mail it was sent last before it left (through outbox_to).
const unsubscribedAfterSteps = preparedFor((db) =>
	db
		.select({ template: outbox.template, n: count() })
		.from(suppressions)
		.innerJoin(
			outbox,
			sql`${outbox.id} = (select o.id from outbox o where o.to_email = ${suppressions.email} and o.status = 'sent'
				and o.run_id is not null and o.sent_at <= ${suppressions.createdAt} order by o.sent_at desc limit 1)`
		)
		.where(eq(suppressions.reason, 'unsubscribed'))
		.groupBy(outbox.template)
		.prepare()
);

/** Each step of each sequence in course/emails with what became of its mails (outbox_template_status). */
export function stepFigures(): StepFigures[] {
	const after = new Map(
		unsubscribedAfterSteps()
			.all()
			.map((r) => [r.template, r.n])
	);
	return course().sequences.flatMap((sequence) =>
		sequence.steps.map((step) => {
			const template = `${sequence.name}/${step.id}`;
			const counts: Partial<Record<OutboxStatus, number>> = {};
			for (const { status, n } of stepStatusCounts().all({ template })) counts[status] = n;
			return {
				sequence: sequence.name,
				step: step.id,
				subject: step.subject,
				sent: counts.sent ?? 0,
				failed: counts.failed ?? 0,
				skipped: counts.skipped ?? 0,
				unsubscribedAfter: after.get(template) ?? 0
			};
		})
	);
}

export interface FailedMailRow {
	id: number;
	to: string;
	template: string;
	attempts: number;
	error: string | null;
	createdAt: number;
}

// outbox_due (status, due_at) finds the failed rows; there are few, so ordering them by id costs little.
const failedPage = preparedFor((db) =>
	db
		.select({
			id: outbox.id,
			to: outbox.toEmail,
			template: outbox.template,
			attempts: outbox.attempts,
			error: outbox.lastError,
			createdAt: outbox.createdAt
		})
		.from(outbox)
		.where(and(eq(outbox.status, 'failed'), lt(outbox.id, sql.placeholder('before'))))
		.orderBy(desc(outbox.id))
		.limit(sql.placeholder('limit'))
		.prepare()
);

/** Failed mails newest first, below the id `before` (limit + 1 rows). */
export function listFailed(before: number | null, limit = 20): FailedMailRow[] {
	return failedPage().all({ before: before ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 });
}

export interface ImportRow {
	id: number;
	fileName: string;
	added: number;
	actor: string;
	createdAt: number;
	sequenceStartedAt: number | null;
}

const recentImports = preparedFor((db) =>
	db.select().from(subscriberImports).orderBy(desc(subscriberImports.id)).limit(sql.placeholder('limit')).prepare()
);

/** The latest CSV imports, newest first, with whether their sequence has been started. */
export function listImports(limit = 10): ImportRow[] {
	return recentImports().all({ limit });
}
