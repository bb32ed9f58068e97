/**
 * Runs the store's own mail code inside the test process, on a fresh database: for the sender, the sequences and
 * their conditions, where a test needs to control time by arranging rows rather than by waiting.
 * Call before anything reads the configuration (it is read once per process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isLoopback } from '../../src/lib/server/env';
import { FIXTURE_COURSE_DIR } from './fixture-course';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface MailEnv {
	dir: string;
	dbPath: string;
	env: Record<string, string>;
	cleanup(): void;
}

/**
 * A store on a public origin is a whole demo (DEMO_MODE=1) or live: with a Resend key it also gets Stripe keys
 * (never called by the mail code), without one it is a public demo. A loopback store may be half of each.
 */
export function storeEnv(env: Record<string, string>): Record<string, string> {
	if (!env.ORIGIN || isLoopback(new URL(env.ORIGIN))) return env;
	const rest = { ...env };
	delete rest.DEMO_MODE;
	return env.RESEND_API_KEY
		? { STRIPE_SECRET_KEY: 'sk_test_mail', STRIPE_WEBHOOK_SECRET: 'whsec_mail', ...rest }
		: { ...rest, DEMO_MODE: '1' };
}

export function mailEnv(extra: Record<string, string> = {}): MailEnv {
	const dir = mkdtempSync(join(tmpdir(), 'store-mail-'));
	const env = storeEnv({
		DATABASE_PATH: join(dir, 'store.db'),
		ORIGIN: 'https://course.example.com',
		COURSE_DIR: FIXTURE_COURSE_DIR,
		DRIP_INTERVAL_SECONDS: '0',
		...extra
	});
	Object.assign(process.env, env);
	return { dir, dbPath: env.DATABASE_PATH, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface DripRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	output: string;
}

/**
 * Starts `npm run drip` (tsx scripts/drip.ts) as its own process, on the tests' own course unless env sets
 * COURSE_DIR; kill() stops it at once, as a crash would.
 */
export function startDrip(env: Record<string, string>): {
	done: Promise<DripRun>;
	kill(): void;
	pid: number | undefined;
} {
	env = { COURSE_DIR: FIXTURE_COURSE_DIR, ...env };
	const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/drip.ts')], {
		cwd: ROOT,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, ...storeEnv(env) },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));
	const done = new Promise<DripRun>((r) => child.on('exit', (code, signal) => r({ code, signal, output })));
	return { done, kill: () => child.kill('SIGKILL'), pid: child.pid };
}
