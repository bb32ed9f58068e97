import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	utimesSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/lib/server/env';
import { listWalSegments, redactReplicaUrl, replicaState, type WalSegment } from '../../src/lib/server/replica';
import { theCourse } from '../payments/setup';
import { FIXTURE_COURSE_DIR } from '../support/fixture-course';
import { FakeStripe } from '../support/fake-stripe';
import { freePort, ROOT } from '../support/server';
import { deliver, stripeEvent, WEBHOOK_SECRET } from '../support/stripe-events';

/**
 * The store run the way the README's production section runs it (`npm run serve` with LITESTREAM_REPLICA_URL),
 * replicating to a file:// replica, then restored with `npm run restore` after it was killed or stopped.
 */

let fake: FakeStripe;
let dir: string;

beforeAll(async () => {
	fake = await FakeStripe.start();
	dir = mkdtempSync(join(tmpdir(), 'store-replica-'));
});
afterAll(async () => {
	await fake?.stop();
	rmSync(dir, { recursive: true, force: true });
});

interface ReplicatedStore {
	origin: string;
	/** The process group: `scripts/start.js`, Litestream and the store itself. */
	pid: number;
	exited: Promise<number | null>;
	output(): string;
}

/** `npm run serve`'s command in its own process group, so that the whole store can be killed at once. */
async function serveReplicated(name: string): Promise<ReplicatedStore & { replicaUrl: string }> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const replicaUrl = `file://${join(dir, name, 'replica')}`;
	const child = spawn(process.execPath, ['scripts/start.js', '--serve'], {
		cwd: ROOT,
		detached: true,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATABASE_PATH: join(dir, name, 'store.db'),
			DRIP_INTERVAL_SECONDS: '0',
			STRIPE_SECRET_KEY: 'sk_test_x',
			STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
			STRIPE_API_BASE: fake.url,
			LITESTREAM_REPLICA_URL: replicaUrl,
			COURSE_DIR: FIXTURE_COURSE_DIR
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
	await waitFor(`the store at ${origin}`, async () => {
		if (child.exitCode !== null) throw new Error(`the store exited with ${child.exitCode}:\n${log}`);
		const res = await fetch(`${origin}/healthz`).catch(() => null);
		return res?.ok === true;
	});
	return { origin, pid: child.pid!, exited, output: () => log, replicaUrl };
}

/** Polls until check answers true; a deadline only turns a hang into a failure that says what it waited for. */
async function waitFor(what: string, check: () => Promise<boolean>, seconds = 90): Promise<void> {
	for (const deadline = Date.now() + seconds * 1000; !(await check());) {
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** True once no process of the group is left. */
function groupGone(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return false;
	} catch {
		return true;
	}
}

let buyers = 0;
/** A buyer pays on (the fake) Stripe and Stripe delivers the signed completion; answers the session id if acknowledged. */
async function sellOne(origin: string): Promise<string | null> {
	const session = fake.paidCourseSession(theCourse, { email: `replica${++buyers}@example.com` });
	const res = await deliver(origin, stripeEvent('checkout.session.completed', session).body).catch(() => null);
	await res?.arrayBuffer();
	return res?.status === 200 ? session.id : null;
}

/** Sells `count` courses, `concurrency` at a time; answers the acknowledged sessions. */
async function sell(origin: string, count: number, concurrency = 4): Promise<string[]> {
	const acknowledged: string[] = [];
	let left = count;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (left-- > 0) {
				const id = await sellOne(origin);
				if (id) acknowledged.push(id);
			}
		})
	);
	return acknowledged;
}

function restore(target: string, replicaUrl: string | undefined, ...extra: string[]) {
	const run = spawnSync('npm', ['run', '--silent', 'restore', '--', target, ...extra], {
		cwd: ROOT,
		env: { ...process.env, LITESTREAM_REPLICA_URL: replicaUrl },
		encoding: 'utf8'
	});
	return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The checkout sessions of every order in a database file. */
function ordersIn(file: string): Set<string> {
	const db = new Database(file, { readonly: true });
	const rows = db.prepare('select checkout_session_id as id from orders').all() as { id: string }[];
	db.close();
	return new Set(rows.map((r) => r.id));
}

/** The replica's WAL segment files with their exact modification times (Litestream's `created`, unrounded). */
function segmentFiles(replicaUrl: string): { file: string; mtimeMs: number }[] {
	const generations = join(new URL(replicaUrl).pathname, 'generations');
	return readdirSync(generations).flatMap((generation) => {
		const wal = join(generations, generation, 'wal');
		return readdirSync(wal).map((name) => ({ file: name, mtimeMs: statSync(join(wal, name)).mtimeMs }));
	});
}

describe('a store replicated with Litestream', () => {
	it('keeps every acknowledged order through a SIGKILL of the whole store', { timeout: 240_000 }, async () => {
		const store = await serveReplicated('killed');
		try {
			// Orders acknowledged before `settled`: each must be in the restored copy.
			const early = await sell(store.origin, 40);
			expect(early).toHaveLength(40);
			const settled = Date.now();

			// Sales go on while the replica moves past `settled`. Litestream copies the WAL to its shadow, then the
			// shadow to the replica, one after the other: the third segment written after `settled` holds a shadow
			// copy taken after it, so it holds every commit made before it.
			let selling = true;
			const late: string[] = [];
			const sales = (async () => {
				while (selling) late.push(...(await sell(store.origin, 4, 2)));
			})();
			let after: WalSegment[] = [];
			await waitFor('three WAL segments written after the early orders', async () => {
				after = (await listWalSegments(store.replicaUrl)).filter((s) => s.createdAt.getTime() > settled);
				return after.length >= 3;
			});

			process.kill(-store.pid, 'SIGKILL');
			selling = false;
			await sales;
			await store.exited;
			await waitFor('every process of the store to be gone', () => Promise.resolve(groupGone(store.pid)));
			expect(late.length, 'sales went on until the kill').toBeGreaterThan(0);

			const target = join(dir, 'killed', 'restored.db');
			const run = restore(target, store.replicaUrl);
			expect(run.status, run.output).toBe(0);
			expect(run.output).toContain('integrity ok');
			const restored = ordersIn(target);
			expect(
				early.filter((id) => !restored.has(id)),
				'early orders missing from the restore'
			).toEqual([]);
			expect(run.output).toContain(`${restored.size} orders, ${restored.size} enrolments`);
			// Nothing in the copy but orders from this store's sales.
			expect([...restored].filter((id) => !fake.sessions.has(id))).toEqual([]);
		} finally {
			if (!groupGone(store.pid)) process.kill(-store.pid, 'SIGKILL');
		}
	});

	it('stops with the store on SIGTERM, after a last copy of everything', { timeout: 240_000 }, async () => {
		const store = await serveReplicated('stopped');
		try {
			// The first copy, made before any sale: the point in time that the --timestamp restore goes back to.
			await waitFor('the first copy', async () => (await listWalSegments(store.replicaUrl)).length > 0);
			const [first] = segmentFiles(store.replicaUrl).sort((a, b) => a.mtimeMs - b.mtimeMs);
			const sold = await sell(store.origin, 12);
			expect(sold).toHaveLength(12);

			// The signal goes to `scripts/start.js` alone, as a service manager sends it.
			process.kill(store.pid, 'SIGTERM');
			const code = await store.exited;
			// Litestream 0.3.13 makes its final copy from two goroutines at once; on a file:// replica the loser cannot
			// find the temporary file that the winner (same segment, same bytes) has already renamed, and exits 1.
			const raced = /ERROR msg="failed to run" error="client write: stat \S+\.wal\.lz4\.tmp: no such file/;
			if (code !== 0) expect(store.output(), `exit ${code}`).toMatch(raced);
			await waitFor('every process of the store to be gone', () => Promise.resolve(groupGone(store.pid)));
			expect(store.output()).toContain('litestream shut down');
			expect(store.output()).toContain(`${store.replicaUrl} (Litestream)`);

			const latest = join(dir, 'stopped', 'latest.db');
			const run = restore(latest, store.replicaUrl);
			expect(run.status, run.output).toBe(0);
			expect([...ordersIn(latest)].sort()).toEqual([...sold].sort());

			const before = join(dir, 'stopped', 'before-sales.db');
			const at = new Date(Math.ceil(first.mtimeMs)).toISOString();
			const earlier = restore(before, store.replicaUrl, '--timestamp', at);
			expect(earlier.status, earlier.output).toBe(0);
			expect(earlier.output).toContain(`as of ${at}`);
			expect(earlier.output).toContain('integrity ok; 0 orders');
			expect(ordersIn(before).size).toBe(0);

			// What the going-live panel shows: the newest segment, and no write that the replica lacks.
			const settings = { litestreamReplicaUrl: store.replicaUrl, databasePath: join(dir, 'stopped', 'store.db') };
			const newest = (await listWalSegments(store.replicaUrl)).at(-1)!;
			const state = await replicaState(settings);
			expect(state).toMatchObject({
				configured: true,
				url: store.replicaUrl,
				lastReplicatedAt: newest.createdAt,
				problem: null
			});
			// Far under the panel's five minutes: the last copy was made after the store's last write.
			expect(state.behindSeconds).toBeLessThan(300);
			expect(state.position).toMatch(new RegExp(`^${newest.generation}/[0-9a-f]{8}:${newest.offset}$`));

			// A write the replica never got (the store run without Litestream) shows as the replica falling behind.
			const later = new Date(newest.createdAt.getTime() + 600_000);
			for (const file of [settings.databasePath, `${settings.databasePath}-wal`]) {
				if (existsSync(file)) utimesSync(file, later, later);
			}
			const behind = await replicaState(settings, Date.now() + 60_000);
			expect(behind.behindSeconds).toBeGreaterThanOrEqual(598);
		} finally {
			if (!groupGone(store.pid)) process.kill(-store.pid, 'SIGKILL');
		}
	});
});

describe('npm run restore', () => {
	it('refuses to overwrite an existing file', () => {
		const target = join(dir, 'existing.db');
		writeFileSync(target, 'the seller’s own file');
		const run = restore(target, `file://${join(dir, 'stopped', 'replica')}`);
		expect(run.status).toBe(2);
		expect(run.output).toContain('already exists');
		expect(readFileSync(target, 'utf8')).toBe('the seller’s own file');
	});

	it('says so when the replica holds nothing, and restores nothing', () => {
		mkdirSync(join(dir, 'empty-replica'));
		for (const replica of ['empty-replica', 'no-such-replica']) {
			const target = join(dir, `${replica}.db`);
			const run = restore(target, `file://${join(dir, replica)}`);
			expect(run.status, run.output).toBe(1);
			expect(run.output).toContain('holds no backup');
			expect(() => statSync(target)).toThrow();
		}
	});

	it('says what the replica holds when no backup covers the timestamp', () => {
		const run = restore(
			join(dir, 'too-early.db'),
			`file://${join(dir, 'stopped', 'replica')}`,
			'--timestamp',
			'2001-01-01T00:00:00Z'
		);
		expect(run.status).toBe(1);
		expect(run.output).toMatch(/no backup covers 2001-01-01T00:00:00.000Z: .* holds \d{4}-.* to \d{4}-/);
	});

	it('refuses to run without a replica, a target or a readable timestamp', () => {
		const replica = `file://${join(dir, 'stopped', 'replica')}`;
		const unset = restore(join(dir, 'a.db'), undefined);
		expect(unset.status).toBe(2);
		expect(unset.output).toContain('LITESTREAM_REPLICA_URL is not set');
		const untargeted = restore('', replica);
		expect(untargeted.status).toBe(2);
		expect(untargeted.output).toContain('usage');
		const undated = restore(join(dir, 'a.db'), replica, '--timestamp', 'yesterday');
		expect(undated.status).toBe(2);
		expect(undated.output).toContain('--timestamp');
	});
});

describe('replicaState', () => {
	it('says when no replica is configured', async () => {
		expect(await replicaState({ litestreamReplicaUrl: undefined, databasePath: 'data/store.db' })).toEqual({
			configured: false,
			url: null,
			position: null,
			lastReplicatedAt: null,
			ageSeconds: null,
			behindSeconds: null,
			problem: null
		});
	});

	it('answers with the problem, not an exception, for a replica it cannot read', async () => {
		const state = await replicaState({ litestreamReplicaUrl: 'file:///etc/hostname', databasePath: 'data/store.db' });
		expect(state).toMatchObject({ configured: true, url: 'file:///etc/hostname', position: null });
		expect(state.problem).toContain('not a directory');
	});

	it('never shows credentials', () => {
		expect(redactReplicaUrl('s3://AKIAKEY:s3cret@bucket.s3.example.com/store?secret-access-key=s3cret')).toBe(
			's3://bucket.s3.example.com/store'
		);
		expect(redactReplicaUrl('file:///mnt/backup/store')).toBe('file:///mnt/backup/store');
	});
});

describe('LITESTREAM_REPLICA_URL', () => {
	it('takes S3 and file URLs and refuses anything else, naming the variable', () => {
		for (const value of [
			's3://bucket/course-store',
			's3://bucket.s3.us-west-002.backblazeb2.com/db',
			'file:///mnt/b'
		]) {
			expect(readConfig({ LITESTREAM_REPLICA_URL: value }).litestreamReplicaUrl).toBe(value);
		}
		expect(readConfig({ LITESTREAM_REPLICA_URL: ' ' }).litestreamReplicaUrl).toBeUndefined();
		for (const value of ['https://bucket/db', 'file://relative/db', 's3://', '/mnt/backup', 'gcs://bucket/db']) {
			expect(() => readConfig({ LITESTREAM_REPLICA_URL: value }), value).toThrow(/LITESTREAM_REPLICA_URL/);
		}
	});

	it('stops `npm run serve` before anything starts when malformed', () => {
		const run = spawnSync(process.execPath, ['scripts/start.js', '--serve'], {
			cwd: ROOT,
			env: {
				PATH: process.env.PATH,
				LITESTREAM_REPLICA_URL: 'https://bucket/db',
				DATABASE_PATH: join(dir, 'never.db')
			},
			encoding: 'utf8'
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('LITESTREAM_REPLICA_URL must be s3://BUCKET/PATH or file:///ABSOLUTE/PATH');
		expect(() => statSync(join(dir, 'never.db'))).toThrow();
	});
});
