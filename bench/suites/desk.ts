/**
 * The seller's desk at size: a separate database seeded with 50,000 students, 100,000 orders and 200,000
 * subscribers (lib/seed-desk.ts), the built app started on it with an admin signed in, and each desk page loaded
 * alternately with the gated lesson page on that same database. A page's line is its server CPU per request and
 * its requests per second, each as a multiple of the gated lesson's ("× gated lesson"); the target is at most 5.
 *
 * BENCH_DESK=0 leaves the suite out; `npm run bench:desk` runs it alone; BENCH_DESK_CONNECTIONS (4) sets its load.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTimeMs, startApp } from '../lib/app-server';
import { mean } from '../lib/report';
import { createSession } from '../lib/seed';
import { seedDesk, type SeededDesk } from '../lib/seed-desk';
import type { BenchContext, BenchSuite, SuiteLine } from '../lib/types';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
// Few connections: an admin page takes long enough that 50 would leave a queue behind to slow the next line.
const CONNECTIONS = Number(process.env.BENCH_DESK_CONNECTIONS ?? 4);
const TARGET = 5;
// BENCH_ONLY keeps the desk lines whose name matches, and always the gated lesson they are compared with.
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

interface DeskPage {
	name: string;
	path: string;
	admin: boolean;
}

function deskPages(seeded: SeededDesk, gatedSlug: string): DeskPage[] {
	const email = encodeURIComponent(seeded.sampleEmail);
	const half = Math.floor(seeded.students / 2);
	return [
		{ name: 'gated lesson, enrolled student', path: `/lessons/${gatedSlug}`, admin: false },
		{ name: 'overview, default period', path: '/admin', admin: true },
		{ name: 'overview, 90 days', path: '/admin?period=90', admin: true },
		{ name: 'orders, first page', path: '/admin/orders', admin: true },
		{ name: 'orders, a later page', path: `/admin/orders?before=${seeded.middleOrderId}`, admin: true },
		{ name: 'orders, search by email', path: `/admin/orders?q=${email}`, admin: true },
		{ name: 'students, search', path: `/admin/students?q=student${half}`, admin: true },
		{ name: 'students by last activity', path: '/admin/students?sort=idle', admin: true },
		{ name: "an order's page", path: `/admin/orders/${seeded.middleOrderId}`, admin: true },
		{ name: "a student's page", path: `/admin/students/${seeded.benchStudentId}`, admin: true }
	];
}

interface Figures {
	cpuMs: number | null;
	rps: number;
}

export async function runDesk(
	ctx: Pick<BenchContext, 'course' | 'load' | 'seconds'>,
	serverEnv: Record<string, string> = {}
): Promise<SuiteLine[]> {
	const dir = mkdtempSync(join(tmpdir(), 'store-bench-desk-'));
	const databasePath = join(dir, 'desk.db');
	const adminEmail = 'seller@bench.example';
	const env = { ...serverEnv, ADMIN_EMAILS: adminEmail, DRIP_INTERVAL_SECONDS: '0' };
	// The first start applies the migrations; the seeding then writes into the migrated schema.
	let app = await startApp(databasePath, env);
	const db = new Database(databasePath);
	db.pragma('busy_timeout = 5000');
	const started = performance.now();
	const seeded = seedDesk(db, ctx.course);
	const seedSeconds = (performance.now() - started) / 1000;
	const adminCookie = createSession(db, seeded.adminUserId);
	const readerCookie = createSession(db, seeded.benchStudentId);
	db.close();
	// A restart, as after a deploy: nothing the first start cached counts.
	await app.stop();
	app = await startApp(databasePath, env);
	const lines: SuiteLine[] = [
		{
			name: 'desk: seeding',
			value: Math.round(seedSeconds * 10) / 10,
			unit: 's',
			note: `${seeded.students} students (${seeded.progressRows} progress rows), ${seeded.orders} orders, ${seeded.subscribers} subscribers, one transaction`
		}
	];
	try {
		const course = ctx.course;
		const gated = course.lessons.find((l) => !l.free && l.dripDay === 0) ?? course.lessons.find((l) => !l.free)!;
		const pages = deskPages(seeded, gated.slug).filter((p, i) => i === 0 || !ONLY || ONLY.test(`desk: ${p.name}`));
		const headersOf = (p: DeskPage) => ({ cookie: p.admin ? adminCookie : readerCookie });
		const measured: DeskPage[] = [];
		for (const page of pages) {
			const res = await fetch(app.origin + page.path, { headers: headersOf(page), redirect: 'manual' });
			await res.arrayBuffer();
			if (res.status === 200) measured.push(page);
			else
				lines.push({
					name: `desk: ${page.name}`,
					value: 0,
					unit: 'ms CPU/req',
					note: `skipped: answers ${res.status}`
				});
		}
		// Requests still in the server's queue when a load ends are answered before this one: the next line starts clean.
		const drain = async (): Promise<void> => void (await (await fetch(`${app.origin}/healthz`)).arrayBuffer());
		const options = (page: DeskPage) => ({ connections: CONNECTIONS, headers: headersOf(page) });
		for (const page of measured) await ctx.load(app.origin + page.path, { ...options(page), seconds: 1 });
		await drain();
		const rounds = new Map<DeskPage, Figures[]>(measured.map((p) => [p, []]));
		for (let round = 1; round <= ROUNDS; round++)
			for (const page of measured) {
				console.error(`Desk round ${round}/${ROUNDS}: ${page.name}`);
				const before = cpuTimeMs(app.pid);
				const m = await ctx.load(app.origin + page.path, options(page));
				await drain();
				const after = cpuTimeMs(app.pid);
				if (m.non2xx || m.errors) console.error(`  ${page.name}: ${m.non2xx} non-2xx, ${m.errors} errors`);
				const cpuMs = before !== null && after !== null && m.requests ? (after - before) / m.requests : null;
				rounds.get(page)!.push({ cpuMs, rps: m.requestsPerSecond });
			}
		const summary = (page: DeskPage): Figures => {
			const r = rounds.get(page)!;
			return {
				cpuMs: r.every((f) => f.cpuMs !== null) ? mean(r.map((f) => f.cpuMs!)) : null,
				rps: mean(r.map((f) => f.rps))
			};
		};
		const lesson = measured[0] === pages[0] ? summary(pages[0]) : null;
		for (const page of measured) {
			const f = summary(page);
			const byCpu = lesson?.cpuMs && f.cpuMs ? f.cpuMs / lesson.cpuMs : null;
			const byRps = lesson && f.rps ? lesson.rps / f.rps : null;
			const ratio =
				page === pages[0]
					? 'the yardstick'
					: `× gated lesson: ${byCpu?.toFixed(1) ?? '?'} by CPU, ${byRps?.toFixed(1) ?? '?'} by req/s` +
						(byCpu !== null && byCpu > TARGET ? ` (over the target of ${TARGET})` : '');
			lines.push({
				name: `desk: ${page.name} (${page.path})`,
				value: f.cpuMs === null ? 0 : Math.round(f.cpuMs * 100) / 100,
				unit: 'ms CPU/req',
				note: `${f.rps.toFixed(0)} req/s; ${ratio}`
			});
		}
	} finally {
		await app.stop();
		rmSync(dir, { recursive: true, force: true });
	}
	return lines;
}

export const suite: BenchSuite = {
	name: 'desk at size',
	run: (ctx) => (process.env.BENCH_DESK === '0' ? Promise.resolve([]) : runDesk(ctx))
};
