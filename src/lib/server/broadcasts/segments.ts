/**
 * Who a broadcast goes to. A segment is written as in the front matter ("subscribers", "students_inactive_days: 14",
 * "source: sales-page") and read into one of these; its addresses are found and queued by SQL, set-based, in
 * keyset chunks over an indexed address column, so 200,000 recipients queue without holding the writer for long.
 */
import type { Statement } from 'better-sqlite3';
import { course } from '../course';
import { preparedFor } from '../db/prepared';

export type Segment =
	| { kind: 'subscribers' }
	| { kind: 'students' }
	| { kind: 'students_not_finished' }
	| { kind: 'students_inactive_days'; days: number }
	| { kind: 'source'; source: string }
	| { kind: 'everyone' };

export const SEGMENT_KINDS = [
	'subscribers',
	'students',
	'students_not_finished',
	'students_inactive_days',
	'source',
	'everyone'
] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

const SOURCE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the front matter or the form gave, or a message saying what is allowed. */
export function readSegment(kind: unknown, value?: unknown): Segment | { problem: string } {
	const allowed =
		'segment must be one of subscribers, students, students_not_finished, students_inactive_days: N, source: NAME, everyone';
	switch (kind) {
		case 'subscribers':
		case 'students':
		case 'students_not_finished':
		case 'everyone':
			return value === undefined || value === null || value === '' ? { kind } : { problem: `${kind} takes no value` };
		case 'students_inactive_days': {
			const days = typeof value === 'string' && /^\d{1,3}$/.test(value.trim()) ? Number(value) : value;
			if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365)
				return { problem: `students_inactive_days needs a whole number of days from 1 to 365, got ${String(value)}` };
			return { kind, days };
		}
		case 'source': {
			const source = typeof value === 'string' ? value.trim() : '';
			if (!SOURCE.test(source))
				return { problem: `source needs the name of a signup source, e.g. source: sales-page, got ${String(value)}` };
			return { kind, source };
		}
		default:
			return { problem: `unknown segment "${String(kind)}": ${allowed}` };
	}
}

/** The segment as stored and as the front matter writes it. */
export function segmentText(segment: Segment): string {
	if (segment.kind === 'students_inactive_days') return `${segment.kind}: ${segment.days}`;
	if (segment.kind === 'source') return `source: ${segment.source}`;
	return segment.kind;
}

/** Reads a stored segment back (it was written by segmentText). */
export function parseSegmentText(text: string): Segment | undefined {
	const [kind, ...rest] = text.split(':');
	const read = readSegment(kind.trim(), rest.length ? rest.join(':').trim() : undefined);
	return 'problem' in read ? undefined : read;
}

/** The reader's own words for a segment, on /admin. */
export function segmentLabel(segment: Segment): string {
	switch (segment.kind) {
		case 'subscribers':
			return 'নিশ্চিত গ্রাহক (যাঁরা এখনও কেনেননি)';
		case 'students':
			return 'সব শিক্ষার্থী';
		case 'students_not_finished':
			return 'যে শিক্ষার্থীরা কোর্স শেষ করেননি';
		case 'students_inactive_days':
			return `যে শিক্ষার্থীরা ${segment.days} দিন কোনো পাঠ খোলেননি`;
		case 'source':
			return `“${segment.source}” ফর্ম থেকে যোগ দেওয়া গ্রাহক`;
		case 'everyone':
			return 'সবাই (গ্রাহক ও শিক্ষার্থী)';
	}
}

// Nobody who bounced or complained (suppressed), nor who unsubscribed, whatever the list says.
const NOT_SUPPRESSED = (email: string) => `not exists (select 1 from suppressions x where x.email = ${email})`;
const MARKETABLE = (email: string) => `${NOT_SUPPRESSED(email)}
	and not exists (select 1 from subscribers xs where xs.email = ${email} and xs.status = 'unsubscribed')`;

const ACTIVE_STUDENT = (email: string) => `exists (select 1 from users su join enrolments se on se.user_id = su.id
	where su.email = ${email} and se.status = 'active')`;

/**
 * One part of a segment: a FROM … WHERE over rows with a unique `email` column, walked in its index order.
 * "everyone" is two parts; an address in both gets one outbox row, by its idempotency key.
 */
interface Part {
	from: string;
	where: string;
}

// Walked by email, never by status or source: the planner's pick of those indexes sorted every chunk anew.
const SUBSCRIBERS: Part = {
	from: 'subscribers s indexed by subscribers_email_unique',
	// A confirmed row is not an unsubscribed one: its email is unique.
	where: `s.status = 'confirmed' and ${NOT_SUPPRESSED('s.email')}`
};
const STUDENTS: Part = {
	from: 'users s join enrolments e on e.user_id = s.id',
	where: `e.status = 'active' and ${MARKETABLE('s.email')}`
};

function partsOf(segment: Segment): Part[] {
	switch (segment.kind) {
		case 'subscribers':
			return [{ ...SUBSCRIBERS, where: `${SUBSCRIBERS.where} and not ${ACTIVE_STUDENT('s.email')}` }];
		case 'source':
			return [{ ...SUBSCRIBERS, where: `${SUBSCRIBERS.where} and s.consent_form = @source` }];
		case 'students':
			return [STUDENTS];
		case 'students_not_finished':
			return [
				{
					...STUDENTS,
					where: `${STUDENTS.where} and (select count(*) from progress p where p.user_id = s.id
						and p.completed_at is not null and p.lesson_slug in (select value from json_each(@lessons))) < @lessonCount`
				}
			];
		case 'students_inactive_days':
			return [
				{
					...STUDENTS,
					where: `${STUDENTS.where}
						and coalesce((select max(p.last_viewed_at) from progress p where p.user_id = s.id), e.enrolled_at) <= @cutoff`
				}
			];
		case 'everyone':
			return [SUBSCRIBERS, STUDENTS];
	}
}

/** The values a segment's SQL may read. */
function bindings(segment: Segment, now: number): Record<string, string | number> {
	const slugs = course().lessons.map((l) => l.slug);
	return {
		source: segment.kind === 'source' ? segment.source : '',
		lessons: JSON.stringify(slugs),
		lessonCount: slugs.length,
		cutoff: segment.kind === 'students_inactive_days' ? now - segment.days * DAY_MS : 0
	};
}

const statements = new Map<string, () => Statement>();

/** A statement built once per SQL text and connection, with the values its SQL names (better-sqlite3 refuses others). */
function bound(sql: string, values: Record<string, unknown>): [Statement, Record<string, unknown>] {
	let get = statements.get(sql);
	if (!get) statements.set(sql, (get = preparedFor((db) => db.$client.prepare(sql))));
	return [get(), Object.fromEntries(Object.entries(values).filter(([k]) => sql.includes(`@${k}`)))];
}

/** How many addresses the segment reaches now (each once). */
export function countSegment(segment: Segment, now = Date.now()): number {
	const parts = partsOf(segment);
	const union = parts.map((p) => `select s.email from ${p.from} where ${p.where}`).join(' union ');
	const sql = `select count(*) as n from (${union})`;
	const [s, args] = bound(sql, bindings(segment, now));
	return (s.get(args) as { n: number }).n;
}

/** Every address of the segment, in order (tests, and the test send's check; never on a hot path). */
export function segmentAddresses(segment: Segment, now = Date.now()): string[] {
	const parts = partsOf(segment);
	const union = parts.map((p) => `select s.email from ${p.from} where ${p.where}`).join(' union ');
	const sql = `select email from (${union}) order by email`;
	const [s, args] = bound(sql, bindings(segment, now));
	return (s.all(args) as { email: string }[]).map((r) => r.email);
}

/**
 * Whether an address is in the segment now. The sender asks again for each mail: between queuing and sending a
 * reader may have unsubscribed, bounced, complained or bought.
 */
export function inSegment(segment: Segment, email: string, now = Date.now()): boolean {
	const parts = partsOf(segment).map((p) => `select 1 from ${p.from} where ${p.where} and s.email = @email`);
	const [s, args] = bound(`select exists (${parts.join(' union all ')}) as yes`, { ...bindings(segment, now), email });
	return (s.get(args) as { yes: number }).yes === 1;
}

export interface QueueCursor {
	part: number;
	after: string;
}

export interface ChunkResult {
	/** Where the next chunk starts, or undefined when the segment is done. */
	next: QueueCursor | undefined;
	inserted: number;
}

/**
 * Writes the next chunk of a broadcast's recipients to the outbox: one INSERT … SELECT for up to `size` addresses
 * after the cursor, each under the key broadcast:<id>:<address>, so a chunk written twice adds nobody twice.
 * Call it inside a write transaction.
 */
export function queueChunk(
	broadcastId: number,
	segment: Segment,
	cursor: QueueCursor,
	size: number,
	now: number
): ChunkResult {
	const parts = partsOf(segment);
	const part = parts[cursor.part];
	if (!part) return { next: undefined, inserted: 0 };
	const chunk = `select s.email as email from ${part.from} where ${part.where} and s.email > @after order by s.email limit @size`;
	// Strings made here: better-sqlite3 binds a JS number as a REAL, which SQL would spell "1.0".
	const keys = { prefix: `broadcast:${broadcastId}:`, template: `broadcast/${broadcastId}` };
	const values = { ...bindings(segment, now), after: cursor.after, size, ...keys, now };
	// Hand-written SQL: drizzle's insert…select has no keyset chunk over a segment's parts. "where true": SQLite
	// reads ON CONFLICT after INSERT … SELECT only when the SELECT has a WHERE.
	const insertSql = `insert into outbox (idempotency_key, template, to_email, params, marketing, due_at)
		select @prefix || email, @template, email, '{}', 1, @now from (${chunk}) where true
		on conflict (idempotency_key) do nothing returning to_email`;
	const [insert, insertArgs] = bound(insertSql, values);
	const rows = insert.all(insertArgs) as { to_email: string }[];
	if (rows.length) {
		const after = rows.reduce((max, r) => (r.to_email > max ? r.to_email : max), rows[0].to_email);
		return { next: { part: cursor.part, after }, inserted: rows.length };
	}
	// Nothing new: the chunk was queued before (a crash lost the cursor), or the part is done.
	const [last, lastArgs] = bound(`select max(email) as last from (${chunk})`, values);
	const upTo = (last.get(lastArgs) as { last: string | null }).last;
	if (upTo === null) return { next: { part: cursor.part + 1, after: '' }, inserted: 0 };
	return { next: { part: cursor.part, after: upTo }, inserted: 0 };
}
