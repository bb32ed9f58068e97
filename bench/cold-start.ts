/**
 * `npx tsx bench/cold-start.ts [N]`: the cold start to the first page, alone and N times (5), as `npm run bench`
 * measures it (bench/lib/app-server.ts): first starts on empty databases (the migrations run), then restarts on a
 * database seeded as the bench seeds it. Prints each time and the median, which a noisy machine moves less.
 * BENCH_SKIP_BUILD=1 reuses build/; BENCH_NODE_OPTIONS goes to the server (e.g. --import ./bench/lib/cpu-profile.js).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCourse } from '../src/lib/server/course';
import { buildApp, ROOT, startApp } from './lib/app-server';
import { seedStore } from './lib/seed';

const runs = Number(process.argv[2] ?? 5);
const env: Record<string, string> = process.env.BENCH_NODE_OPTIONS
	? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }
	: {};

const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const line = (what: string, values: number[]): string =>
	`${what}: median ${median(values).toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(', ')})`;

buildApp();
const dir = mkdtempSync(join(tmpdir(), 'store-cold-start-'));
try {
	// Each first start in a data folder of its own, as a new store's: nothing kept from an earlier start.
	const firstStarts: number[] = [];
	for (let i = 0; i < runs; i++) {
		const app = await startApp(join(dir, `first-${i}`, 'store.db'), env);
		firstStarts.push(app.coldStartMs);
		await app.stop();
	}
	const seededPath = join(dir, 'first-0', 'store.db');
	const db = new Database(seededPath);
	seedStore(db, loadCourse(join(ROOT, 'course')));
	db.close();
	const restarts: number[] = [];
	for (let i = 0; i < runs; i++) {
		const app = await startApp(seededPath, env);
		restarts.push(app.coldStartMs);
		await app.stop();
	}
	console.log(line('cold start, restart on the seeded database', restarts));
	console.log(line('cold start, first start (migrations)', firstStarts));
} finally {
	rmSync(dir, { recursive: true, force: true });
}
