// The webhook line alone: `npm run bench:webhook` (BENCH_SKIP_BUILD=1 reuses build/; BENCH_NODE_OPTIONS, e.g.
// `--import ./bench/lib/cpu-profile.js` to profile it, goes to the server). Seeds the store as `npm run bench` does. Prints figures.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCourse } from '../src/lib/server/course';
import { buildApp, ROOT, startApp } from './lib/app-server';
import { load } from './lib/measure';
import { seedStore } from './lib/seed';
import { suite } from './suites/webhook';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SERVER_ENV = process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : undefined;

buildApp();
const course = loadCourse(join(ROOT, 'course'));
const dir = mkdtempSync(join(tmpdir(), 'store-bench-webhook-'));
const databasePath = join(dir, 'store.db');
const first = await startApp(databasePath, SERVER_ENV);
const db = new Database(databasePath);
db.pragma('busy_timeout = 5000');
seedStore(db, course);
await first.stop();
const app = await startApp(databasePath, SERVER_ENV);
try {
	const lines = await suite.run!({
		origin: app.origin,
		serverPid: app.pid,
		db,
		databasePath,
		course,
		sessionCookie: '',
		newStudentCookie: '',
		connections: CONNECTIONS,
		seconds: SECONDS,
		load: (url, options = {}) => load(url, { connections: CONNECTIONS, seconds: SECONDS, ...options })
	});
	for (const line of lines)
		console.log(`${line.name}  ${line.value.toLocaleString('en')} ${line.unit}${line.note ? `  (${line.note})` : ''}`);
} finally {
	await app.stop();
	db.close();
	rmSync(dir, { recursive: true, force: true });
}
