/**
 * Broadcasts in the database: file broadcasts mirrored from course/emails/broadcasts/, drafts written on /admin.
 * A broadcast is queued once its send_at has come: its recipients are written to the outbox in chunks, each under
 * its own idempotency key, with a cursor kept after each chunk, so a crash, a restart or a second click sends
 * nobody the broadcast twice.
 */
import { and, desc, eq, inArray, isNotNull, lte, notInArray, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/log';
import { db, writeTransaction } from '../db';
import { preparedFor } from '../db/prepared';
import { broadcasts, type BroadcastStatus } from '../db/schema';
import { queueMail } from '../mail/outbox';
import { wakeSender } from '../mail/sender';
import type { BroadcastFile } from './files';
import { parseSegmentText, queueChunk, segmentText, type QueueCursor, type Segment } from './segments';

export type BroadcastRow = typeof broadcasts.$inferSelect;

/** Addresses written per transaction: each chunk holds the writer for a few milliseconds, not seconds. */
export const QUEUE_CHUNK = 2000;

const p = sql.placeholder;

const upsertFile = preparedFor((db) =>
	db
		.insert(broadcasts)
		.values({
			file: p('file'),
			subject: p('subject'),
			markdown: p('markdown'),
			segment: p('segment'),
			sendAt: p('sendAt'),
			status: 'scheduled',
			createdBy: 'file'
		})
		// The file is the seller's decision: an edit counts until it starts, never after, and a cancel stays.
		.onConflictDoUpdate({
			target: broadcasts.file,
			set: {
				subject: sql`excluded.subject`,
				markdown: sql`excluded.markdown`,
				segment: sql`excluded.segment`,
				sendAt: sql`excluded.send_at`
			},
			setWhere: sql`${broadcasts.status} = 'scheduled'`
		})
		.prepare()
);

/** Mirrors the course's broadcast files; a scheduled one whose file is gone is cancelled. */
export function syncFileBroadcasts(files: BroadcastFile[], now = Date.now()): void {
	writeTransaction(() => {
		for (const f of files)
			upsertFile().run({
				file: f.id,
				subject: f.subject,
				markdown: f.markdown,
				segment: segmentText(f.segment),
				sendAt: f.sendAt
			});
		const names = files.map((f) => f.id);
		db()
			.update(broadcasts)
			.set({ status: 'cancelled', cancelledAt: now })
			.where(
				and(
					isNotNull(broadcasts.file),
					eq(broadcasts.status, 'scheduled'),
					names.length ? notInArray(broadcasts.file, names) : undefined
				)
			)
			.run();
	});
}

export interface BroadcastDraft {
	subject: string;
	markdown: string;
	segment: Segment;
}

/** A broadcast written on /admin: a draft until the seller confirms it. */
export function createDraft(draft: BroadcastDraft, actor: string): number {
	return writeTransaction(() => {
		const row = db()
			.insert(broadcasts)
			.values({
				subject: draft.subject,
				markdown: draft.markdown,
				segment: segmentText(draft.segment),
				status: 'draft',
				createdBy: actor
			})
			.returning({ id: broadcasts.id })
			.get();
		recordAudit({
			actor,
			action: 'broadcast-create',
			subjectType: 'mail',
			subjectId: `broadcast:${row.id}`,
			after: { subject: draft.subject, segment: segmentText(draft.segment) }
		});
		return row.id;
	});
}

/** Moves a broadcast from one status to another; false when it was not in `from` (a second click, a race). */
function transition(
	id: number,
	from: BroadcastStatus[],
	to: Partial<BroadcastRow> & { status: BroadcastStatus },
	actor: string,
	action: string,
	extra: Record<string, unknown> = {}
): boolean {
	return writeTransaction(() => {
		const changed = db()
			.update(broadcasts)
			.set(to)
			.where(and(eq(broadcasts.id, id), inArray(broadcasts.status, from)))
			.returning({ id: broadcasts.id })
			.all();
		if (!changed.length) return false;
		recordAudit({
			actor,
			action,
			subjectType: 'mail',
			subjectId: `broadcast:${id}`,
			after: { status: to.status, ...extra }
		});
		return true;
	});
}

/** The seller confirmed a draft: it goes out at sendAt (now by default) with the next pass of the sender. */
export function confirmBroadcast(id: number, actor: string, recipients: number, sendAt = Date.now()): boolean {
	const done = transition(id, ['draft'], { status: 'scheduled', sendAt }, actor, 'broadcast-confirm', {
		recipients,
		sendAt
	});
	if (done) wakeSender({ schedule: true });
	return done;
}

/** Cancels a draft or a scheduled broadcast; one that has started cannot be cancelled. */
export function cancelBroadcast(id: number, actor: string): boolean {
	return transition(
		id,
		['draft', 'scheduled'],
		{ status: 'cancelled', cancelledAt: Date.now() },
		actor,
		'broadcast-cancel'
	);
}

/** A copy to the seller's own address, marked as a test; it goes out whatever the broadcast's status. */
export function sendTestBroadcast(id: number, to: string, actor: string, now = Date.now()): void {
	writeTransaction(() => {
		queueMail({ key: `broadcast-test:${id}:${now}`, template: `broadcast/${id}`, to, params: { test: true } });
		recordAudit({ actor, action: 'broadcast-test', subjectType: 'mail', subjectId: `broadcast:${id}`, after: { to } });
	});
	wakeSender();
}

const byId = preparedFor((db) =>
	db
		.select()
		.from(broadcasts)
		.where(eq(broadcasts.id, p('id')))
		.prepare()
);

export function findBroadcast(id: number): BroadcastRow | undefined {
	return byId().get({ id });
}

const newestFirst = preparedFor((db) =>
	db.select().from(broadcasts).orderBy(desc(broadcasts.id)).limit(p('limit')).prepare()
);

export function listBroadcasts(limit = 100): BroadcastRow[] {
	return newestFirst().all({ limit });
}

/** The segment a broadcast was stored with (always one segmentText wrote). */
export function segmentOf(row: BroadcastRow): Segment {
	const segment = parseSegmentText(row.segment);
	if (!segment) throw new Error(`broadcast ${row.id} has an unknown segment "${row.segment}"`);
	return segment;
}

const startDue = preparedFor((db) =>
	db
		.update(broadcasts)
		.set({ status: 'queuing', startedAt: sql`${p('now')}` })
		.where(and(eq(broadcasts.status, 'scheduled'), lte(broadcasts.sendAt, p('now'))))
		.prepare()
);

const inQueuing = preparedFor((db) =>
	db.select().from(broadcasts).where(eq(broadcasts.status, 'queuing')).orderBy(broadcasts.id).prepare()
);

const saveCursor = preparedFor((db) =>
	db
		.update(broadcasts)
		.set({ cursor: sql`${p('cursor')}` })
		.where(and(eq(broadcasts.id, p('id')), eq(broadcasts.status, 'queuing')))
		.prepare()
);

const finishQueue = preparedFor((db) =>
	db
		.update(broadcasts)
		.set({
			status: 'queued',
			queuedAt: sql`${p('now')}`,
			cursor: null,
			recipients: sql`(select count(*) from outbox where idempotency_key >= ${p('lo')} and idempotency_key < ${p('hi')})`
		})
		.where(and(eq(broadcasts.id, p('id')), eq(broadcasts.status, 'queuing')))
		.prepare()
);

/** The range of a broadcast's outbox keys ("broadcast:<id>:<address>"): the unique index walks it. */
export function keyRange(id: number): { lo: string; hi: string } {
	return { lo: `broadcast:${id}:`, hi: `broadcast:${id};` };
}

const nextTick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Writes one broadcast's recipients to the outbox from where it stopped; yields between chunks so readers go on. */
export async function queueBroadcast(row: BroadcastRow, now = Date.now(), chunk = QUEUE_CHUNK): Promise<number> {
	const segment = segmentOf(row);
	let cursor: QueueCursor | undefined = row.cursor ? (JSON.parse(row.cursor) as QueueCursor) : { part: 0, after: '' };
	let queued = 0;
	// The mails are due when the broadcast was due (or now for one written on /admin).
	const dueAt = Math.min(now, row.sendAt ?? now);
	while (cursor) {
		const from: QueueCursor = cursor;
		const result = writeTransaction(() => {
			const r = queueChunk(row.id, segment, from, chunk, dueAt);
			if (r.next) saveCursor().run({ id: row.id, cursor: JSON.stringify(r.next) });
			else finishQueue().run({ id: row.id, now: Date.now(), ...keyRange(row.id) });
			return r;
		});
		queued += result.inserted;
		cursor = result.next;
		if (cursor) await nextTick();
	}
	return queued;
}

/**
 * Starts the broadcasts whose time has come and goes on with any a crash left half queued. Called by every pass of
 * the sender (the in-process scheduler, `npm run drip`); two processes doing it at once add nobody twice.
 */
export async function queueDueBroadcasts(files: BroadcastFile[], now = Date.now()): Promise<number> {
	syncFileBroadcasts(files, now);
	writeTransaction(() => startDue().run({ now }));
	let queued = 0;
	for (const row of inQueuing().all()) queued += await queueBroadcast(row, now);
	return queued;
}
