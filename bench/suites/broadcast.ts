/**
 * Broadcast line: the time to queue one broadcast to 200,000 confirmed subscribers (target: under 10 s), and the
 * gated lesson's p99 while it runs. The queuing runs in its own process, as the store's scheduler or
 * `npm run drip` would (this file, run with `queue`), so the bench's own event loop keeps loading the page.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BROWSER_HEADERS } from '../lib/measure';
import { ROOT } from '../lib/app-server';
import type { BenchSuite } from '../lib/types';

const SUBSCRIBERS = Number(process.env.BENCH_BROADCAST_SUBSCRIBERS ?? 200_000);

/** Child mode: queue broadcast <id> of the database at DATABASE_PATH and print the milliseconds it took. */
async function queueInThisProcess(id: number): Promise<void> {
	const { loadCourse, useCourse } = await import('../../src/lib/server/course');
	const { closeDatabase, db } = await import('../../src/lib/server/db');
	const { config } = await import('../../src/lib/server/env');
	const { findBroadcast, queueBroadcast } = await import('../../src/lib/server/broadcasts/store');
	useCourse(loadCourse(config().courseDir));
	db();
	const row = findBroadcast(id);
	if (!row) throw new Error(`no broadcast ${id}`);
	const started = performance.now();
	const queued = await queueBroadcast(row);
	process.stdout.write(JSON.stringify({ ms: performance.now() - started, queued }));
	closeDatabase();
}

function queueInChild(databasePath: string, id: number): Promise<{ ms: number; queued: number }> {
	const child = spawn(
		process.execPath,
		[join(ROOT, 'node_modules/tsx/dist/cli.mjs'), import.meta.filename, 'queue', String(id)],
		{
			cwd: ROOT,
			env: { ...process.env, DATABASE_PATH: databasePath, COURSE_DIR: join(ROOT, 'course') },
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	let out = '';
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	return new Promise((done, fail) =>
		child.on('exit', (code) =>
			code === 0 ? done(JSON.parse(out) as { ms: number; queued: number }) : fail(new Error(`queue exited ${code}`))
		)
	);
}

export const suite: BenchSuite = {
	name: 'broadcast',
	async run(ctx) {
		const { db, course } = ctx;
		const gated = course.lessons.find((l) => !l.free && l.dripDay === 0) ?? course.lessons.find((l) => !l.free)!;
		const run = Date.now().toString(36);
		// Plain prepared inserts in one transaction: the list as a CSV import or years of signups would leave it.
		const insert = db.prepare(
			`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
			 values (?, 'confirmed', 0, '/', 'sales-page', '2026-12-bn-2', 0)`
		);
		db.transaction(() => {
			for (let i = 0; i < SUBSCRIBERS; i++) insert.run(`bc${run}.${i}@example.com`);
		})();
		const id = (
			db
				.prepare(
					"insert into broadcasts (subject, markdown, segment, status, started_at) values ('bench', 'bench', 'subscribers', 'queuing', 0) returning id"
				)
				.get() as { id: number }
		).id;

		let reader: autocannon.Instance | undefined;
		const reading = new Promise<autocannon.Result>((done, fail) => {
			reader = autocannon(
				{
					url: `${ctx.origin}/lessons/${gated.slug}`,
					connections: 10,
					duration: 120,
					headers: { ...BROWSER_HEADERS, cookie: ctx.sessionCookie }
				},
				(error, result) => (error ? fail(error as Error) : done(result))
			);
		});
		let result: { ms: number; queued: number };
		try {
			result = await queueInChild(ctx.databasePath, id);
		} finally {
			reader?.stop();
		}
		const during = await reading;
		const rows = (db.prepare('select recipients from broadcasts where id = ?').get(id) as { recipients: number })
			.recipients;

		// Leave the store as the next suites expect it: no 200,000 pending mails.
		db.prepare('delete from outbox where idempotency_key >= ? and idempotency_key < ?').run(
			`broadcast:${id}:`,
			`broadcast:${id};`
		);
		db.prepare('delete from broadcasts where id = ?').run(id);
		db.prepare('delete from subscribers where email like ?').run(`bc${run}.%`);

		return [
			{
				name: `broadcast: queue to ${SUBSCRIBERS.toLocaleString('en')} subscribers`,
				value: Math.round(result.ms) / 1000,
				unit: 's',
				note: `${rows} outbox rows written in chunks (target under 10 s)`
			},
			{
				name: 'broadcast: gated lesson p99 while queuing',
				value: during.latency.p99,
				unit: 'ms',
				note: `${during.requests.total} requests, 10 connections, p50 ${during.latency.p50} ms, ${during.non2xx} non-2xx`
			}
		];
	}
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'queue')
	await queueInThisProcess(Number(process.argv[3]));
