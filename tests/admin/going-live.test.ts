// The going-live panel on /admin, over the built server: what a fresh demo store lacks, item by item, and a
// configured store that has received Stripe's and Resend's webhooks and made a backup, with every item done.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWalSegments, litestreamBinary } from '../../src/lib/server/replica';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { Browser } from '../support/http';
import { ROOT, startServer, type TestServer } from '../support/server';
import { deliver, stripeEvent, WEBHOOK_SECRET } from '../support/stripe-events';
import { mintToken, signIn, submit } from '../support/students';

const run = promisify(execFile);
const ADMIN = 'seller@example.com';
const DAY = 24 * 60 * 60 * 1000;
const ITEMS = [
	'stripe-key',
	'stripe-webhook-secret',
	'stripe-webhook-seen',
	'resend-key',
	'resend-webhook-secret',
	'resend-webhook-seen',
	'mail-from',
	'postal-address',
	'origin-https',
	'backup',
	'replica'
];

/** Each item of the panel on /admin and its state. */
async function panel(admin: Browser): Promise<Record<string, string>> {
	const res = await admin.get('/admin');
	expect(res.status).toBe(200);
	const html = await res.text();
	return Object.fromEntries([...html.matchAll(/data-item="([\w-]+)" data-state="(\w+)"/g)].map((m) => [m[1], m[2]]));
}

/** `npm run backup`, run without blocking this process: a blocked event loop would leave stale keep-alive sockets. */
async function backup(server: TestServer): Promise<void> {
	const target = join(server.dir, 'copies', 'store.db');
	const env = { ...process.env, DATABASE_PATH: server.dbPath };
	const { stderr } = await run(
		process.execPath,
		[join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/backup.ts', target],
		{
			cwd: ROOT,
			env
		}
	);
	expect(stderr).toContain('integrity ok');
}

/** Litestream beside the store until the replica holds a first copy, as `npm run serve` runs it. */
async function copyToReplica(databasePath: string, replicaUrl: string): Promise<void> {
	const litestream = spawn(litestreamBinary()!, ['replicate', databasePath, replicaUrl], { stdio: 'ignore' });
	const exited = new Promise((done) => litestream.on('exit', done));
	try {
		for (const deadline = Date.now() + 60_000; (await listWalSegments(replicaUrl)).length === 0;) {
			if (Date.now() > deadline) throw new Error('Litestream made no copy within a minute');
			await new Promise((r) => setTimeout(r, 100));
		}
	} finally {
		litestream.kill('SIGTERM');
		await exited;
	}
}

describe('a fresh demo store', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startServer({ ADMIN_EMAILS: ADMIN, MAIL_FROM: 'Course <course@example.com>' });
	});
	afterAll(() => server?.stop());

	it('lists every item as missing, and a demo purchase is not a Stripe webhook', async () => {
		const buyer = new Browser(server.origin);
		const checkout = await buyer.post('/checkout');
		expect((await buyer.post(checkout.headers.get('location')!, { email: 'buyer@example.com' })).status).toBe(303);
		expect(server.db.prepare('select count(*) as n from stripe_events').get()).toEqual({ n: 1 });

		const admin = await signIn(server, ADMIN);
		const items = await panel(admin);
		expect(Object.keys(items)).toEqual(ITEMS);
		expect(
			Object.values(items).every((state) => state === 'missing'),
			JSON.stringify(items)
		).toBe(true);
		const html = await (await admin.get('/admin')).text();
		expect(html).toContain('লাইভে যাওয়ার প্রস্তুতি');
		expect(html).toContain('১১টির মধ্যে ০টি ঠিক আছে');
		expect(html).toContain(`${server.origin}/api/webhooks/stripe`);
	});

	it('calls a backup older than a day out of date', async () => {
		server.db
			.prepare('insert into backups (file, bytes, finished_at) values (?, 1, ?)')
			.run('/srv/old.db', Date.now() - 2 * DAY);
		expect((await panel(await signIn(server, ADMIN))).backup).toBe('warn');
		await backup(server);
		expect((await panel(await signIn(server, ADMIN))).backup).toBe('ok');
	});
});

describe('a configured store', () => {
	const origin = 'https://course.example.com';
	const resendSecret = `whsec_${randomBytes(24).toString('base64')}`;
	const replicaDir = mkdtempSync(join(tmpdir(), 'store-replica-'));
	const replicaUrl = `file://${replicaDir}`;
	let server: TestServer;
	let fake: FakeResend;
	beforeAll(async () => {
		fake = await startFakeResend();
		server = await startServer({
			LITESTREAM_REPLICA_URL: replicaUrl,
			ORIGIN: origin,
			ADMIN_EMAILS: ADMIN,
			STRIPE_SECRET_KEY: 'sk_live_goinglive',
			STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
			RESEND_API_KEY: 're_goinglive',
			RESEND_BASE_URL: fake.url,
			RESEND_WEBHOOK_SECRET: resendSecret,
			MAIL_FROM: 'কোর্স <hello@bn-course.store>',
			MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫'
		});
		await copyToReplica(server.dbPath, replicaUrl);
	});
	afterAll(async () => {
		await server?.stop();
		await fake?.close();
		rmSync(replicaDir, { recursive: true, force: true });
	});

	async function admin(): Promise<Browser> {
		const browser = new Browser(server.origin);
		const res = await submit(browser, '/login/verify', { token: mintToken(server.db, ADMIN) }, { origin });
		expect(res.status).toBe(303);
		return browser;
	}

	it('waits for the first webhooks and a backup, then has every item done', async () => {
		const before = await panel(await admin());
		expect(before).toMatchObject({
			'stripe-webhook-seen': 'missing',
			'resend-webhook-seen': 'missing',
			backup: 'missing'
		});
		const configured = ITEMS.filter((id) => !['stripe-webhook-seen', 'resend-webhook-seen', 'backup'].includes(id));
		for (const id of configured) expect(before[id], id).toBe('ok');

		const event = stripeEvent('customer.created', { id: 'cus_1', object: 'customer' });
		expect((await deliver(server.origin, event.body)).status).toBe(200);
		const payload = JSON.stringify({ type: 'email.delivered', created_at: new Date().toISOString(), data: {} });
		const id = `msg_${randomBytes(8).toString('hex')}`;
		const at = new Date();
		const resend = await fetch(`${server.origin}/api/webhooks/resend`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'svix-id': id,
				'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
				'svix-signature': new Webhook(resendSecret).sign(id, at, payload)
			},
			body: payload
		});
		expect(resend.status).toBe(200);
		await backup(server);

		const after = await panel(await admin());
		expect(Object.keys(after)).toEqual(ITEMS);
		expect(
			Object.values(after).every((state) => state === 'ok'),
			JSON.stringify(after)
		).toBe(true);
		expect(await (await (await admin()).get('/admin')).text()).toContain('১১টির মধ্যে ১১টি ঠিক আছে');
	});

	it('calls a Stripe test key a warning, not done', async () => {
		const test = await startServer({
			ORIGIN: origin,
			ADMIN_EMAILS: ADMIN,
			STRIPE_SECRET_KEY: 'sk_test_goinglive',
			LITESTREAM_REPLICA_URL: `file://${join(replicaDir, 'empty')}`,
			STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
			RESEND_API_KEY: 're_goinglive',
			RESEND_BASE_URL: fake.url,
			MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫'
		});
		try {
			const browser = new Browser(test.origin);
			await submit(browser, '/login/verify', { token: mintToken(test.db, ADMIN) }, { origin });
			const items = await panel(browser);
			expect(items).toMatchObject({ 'stripe-key': 'warn', 'resend-key': 'ok', 'resend-webhook-secret': 'missing' });
			// A replica configured but holding no copy: Litestream is not running beside this store.
			expect(items.replica).toBe('warn');
			expect(items['mail-from']).toBe('missing');
		} finally {
			await test.stop();
		}
	});
});
