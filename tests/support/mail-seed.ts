/** Arranging mail state directly in the database (in the test process, see mail-env.ts). */
import type { Statement } from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { loadCourse, useCourse } from '../../src/lib/server/course';
import { closeDatabase, db, writeTransaction } from '../../src/lib/server/db';
import { config } from '../../src/lib/server/env';
import { startLeadSequence } from '../../src/lib/server/mail/sequences';
import { resendEnv, startFakeResend, type FakeResend } from './fake-resend';
import { mailEnv, type MailEnv } from './mail-env';

/** Raw SQL on the store's database, for arranging and reading rows the way no module of the store needs to. */
export function query(sql: string): Statement {
	return db().$client.prepare(sql);
}

/** Loads the course and opens (and migrates) the database named by DATABASE_PATH. */
export function openStore(): void {
	useCourse(loadCourse(config().courseDir));
	db();
}

export interface DripStore {
	fake: FakeResend;
	/** The environment of an `npm run drip` run (startDrip) on this store, sending to fake. */
	env: Record<string, string>;
}

/**
 * For a test file whose runs of `npm run drip` send through a fake Resend: before its tests, a fresh store filled by
 * seed (the database is closed again, for the child processes) and the fake; after them, both removed.
 */
export function useDripStore(seed: () => void): DripStore {
	const store = {} as DripStore;
	let env: MailEnv | undefined;
	beforeAll(async () => {
		store.fake = await startFakeResend();
		env = mailEnv();
		store.env = { ...env.env, ...resendEnv(store.fake) };
		openStore();
		seed();
		closeDatabase();
	});
	afterAll(async () => {
		await store.fake?.close();
		env?.cleanup();
	});
	return store;
}

/** n confirmed subscribers whose lead sequence started at `now`: n welcome mails are due, the rest later. */
export function seedLeads(n: number, prefix = 'lead', now = Date.now()): string[] {
	const emails = Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
	writeTransaction(() => {
		const insert = query(
			`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
			 values (?, 'confirmed', ?, '/', 'sales-page', '2026-11-bn-1', ?)`
		);
		for (const email of emails) {
			insert.run(email, now, now);
			startLeadSequence(email, now);
		}
	});
	return emails;
}

/** A student: a user with an active enrolment that started at enrolledAt. */
export function seedStudent(email: string, enrolledAt: number, name: string | null = null): number {
	return writeTransaction(() => {
		const user = query('insert into users (email, name) values (?, ?) returning id').get(email, name) as { id: number };
		query('insert into enrolments (user_id, enrolled_at) values (?, ?)').run(user.id, enrolledAt);
		return user.id;
	});
}

/** Progress rows as the lesson pages would write them. */
export function seedProgress(userId: number, slug: string, viewedAt: number, completedAt: number | null = null): void {
	query(
		`insert into progress (user_id, lesson_slug, first_viewed_at, last_viewed_at, completed_at) values (?, ?, ?, ?, ?)
		 on conflict (user_id, lesson_slug) do update set last_viewed_at = excluded.last_viewed_at, completed_at = excluded.completed_at`
	).run(userId, slug, viewedAt, viewedAt, completedAt);
}

export function outboxRow(
	key: string
): { status: string; last_error: string | null; due_at: number; provider_id: string | null } | undefined {
	return query('select status, last_error, due_at, provider_id from outbox where idempotency_key = ?').get(key) as
		{ status: string; last_error: string | null; due_at: number; provider_id: string | null } | undefined;
}
