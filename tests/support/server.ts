import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURE_COURSE_DIR } from './fixture-course';
import { SERVER_NODE_FLAGS } from '../../scripts/node-flags.js';

export interface TestServer {
	/** e.g. http://127.0.0.1:41234 */
	origin: string;
	port: number;
	dir: string;
	dbPath: string;
	/** A read/write handle on the server's database, for arranging and checking state. */
	db: Database.Database;
	/** Everything the server printed so far. */
	output(): string;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.unref();
		probe.on('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export const ROOT = resolve(import.meta.dirname, '../..');

/** A running `node build`: what the tests and the benchmark both start. */
export interface AppProcess {
	origin: string;
	port: number;
	pid: number;
	/** Milliseconds from spawning `node build` to the first good answer at the ready path. */
	coldStartMs: number;
	output(): string;
	stop(): Promise<void>;
}

/**
 * Starts the production server (`node build`) on databasePath and waits until readyPath answers.
 * Demo payments and demo mail unless env says otherwise; the in-process scheduler is off unless asked for;
 * the tests' own course (tests/fixtures/course) unless env sets COURSE_DIR.
 */
export async function launchApp(
	databasePath: string,
	env: Record<string, string | undefined> = {},
	readyPath = '/healthz'
): Promise<AppProcess> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const started = performance.now();
	// With the V8 settings `npm start` and `npm run serve` use (scripts/node-flags.js).
	const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'build'], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATABASE_PATH: databasePath,
			DRIP_INTERVAL_SECONDS: '0',
			COURSE_DIR: FIXTURE_COURSE_DIR,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

	let coldStartMs = 0;
	for (const deadline = Date.now() + 20_000; ;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
		try {
			const res = await fetch(`${origin}${readyPath}`, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			if (res.ok) {
				coldStartMs = performance.now() - started;
				break;
			}
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not answer ${readyPath} within 20 s:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 5));
	}

	return {
		origin,
		port,
		pid: child.pid!,
		coldStartMs,
		output: () => log,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	};
}

/** Starts the built app (`node build`, as in production) on a fresh temporary database. */
export async function startServer(env: Record<string, string | undefined> = {}): Promise<TestServer> {
	const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
	const dbPath = join(dir, 'store.db');
	const app = await launchApp(dbPath, env);
	const db = new Database(dbPath);
	db.pragma('busy_timeout = 5000');
	return {
		origin: app.origin,
		port: app.port,
		dir,
		dbPath,
		db,
		output: () => app.output(),
		async stop() {
			db.close();
			await app.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Runs `node build` expecting it to fail at start-up; returns its exit code and output. */
export async function startExpectingFailure(
	env: Record<string, string>
): Promise<{ code: number | null; output: string }> {
	const dir = mkdtempSync(join(tmpdir(), 'store-test-'));
	const port = await freePort();
	const child = spawn(process.execPath, ['build'], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATABASE_PATH: join(dir, 'store.db'),
			COURSE_DIR: FIXTURE_COURSE_DIR,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));
	const code = await new Promise<number | null>((done) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			done(null);
		}, 15_000);
		child.on('exit', (c) => {
			clearTimeout(timer);
			done(c);
		});
	});
	rmSync(dir, { recursive: true, force: true });
	return { code, output };
}
