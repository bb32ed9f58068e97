// Resend webhooks: signed bounces and complaints suppress the address once, however often they arrive.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixtureCourse } from '../support/fixture-course';
import { startDrip } from '../support/mail-env';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
const [, second, third] = fixtureCourse().steps('lead');
const secret = `whsec_${randomBytes(24).toString('base64')}`;

beforeAll(async () => {
	server = await startServer({ RESEND_WEBHOOK_SECRET: secret });
});

afterAll(async () => {
	await server?.stop();
});

function event(type: string, to: string, bounceType = 'Permanent'): string {
	const data: Record<string, unknown> = {
		created_at: new Date().toISOString(),
		email_id: `em_${randomBytes(6).toString('hex')}`,
		from: 'course@example.com',
		to: [to],
		subject: 'স্বাগতম!'
	};
	if (type === 'email.bounced')
		data.bounce = { type: bounceType, subType: 'General', message: 'mailbox does not exist' };
	return JSON.stringify({ type, created_at: new Date().toISOString(), data });
}

async function deliver(payload: string, id: string, options: { key?: string; at?: Date } = {}): Promise<Response> {
	const at = options.at ?? new Date();
	const signature = new Webhook(options.key ?? secret).sign(id, at, payload);
	return fetch(new URL('/api/webhooks/resend', server.origin), {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'svix-id': id,
			'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
			'svix-signature': signature
		},
		body: payload
	});
}

const suppressions = (): unknown[] =>
	server.db.prepare('select email, reason from suppressions order by email, reason').all();

/** A confirmed subscriber with the lead sequence queued, arranged as confirming would leave it. */
function leadSubscriber(email: string): void {
	server.db
		.prepare(
			"insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at) values (?, 'confirmed', 1, '/', 'sales-page', '2026-11-bn-1', 1)"
		)
		.run(email);
	const run = server.db
		.prepare("insert into sequence_runs (sequence, email, started_at) values ('lead', ?, ?) returning id")
		.get(email, Date.now()) as { id: number };
	server.db
		.prepare(
			'insert into outbox (idempotency_key, template, to_email, params, marketing, due_at, run_id) values (?, ?, ?, ?, 1, ?, ?)'
		)
		.run(
			`lead:${email}:${second.id}`,
			`lead/${second.id}`,
			email,
			JSON.stringify({ runId: run.id }),
			Date.now() + 86_400_000,
			run.id
		);
}

test('forged, stale or unsigned deliveries get 400 and change nothing', async () => {
	const payload = event('email.bounced', 'victim@example.com');
	expect((await deliver(payload, 'msg_forged', { key: `whsec_${randomBytes(24).toString('base64')}` })).status).toBe(
		400
	);
	expect((await deliver(payload, 'msg_stale', { at: new Date(Date.now() - 10 * 60 * 1000) })).status).toBe(400);
	const unsigned = await fetch(new URL('/api/webhooks/resend', server.origin), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: payload
	});
	expect(unsigned.status).toBe(400);
	expect(suppressions()).toEqual([]);
	expect(server.db.prepare('select count(*) as n from resend_events').get()).toEqual({ n: 0 });
});

test('a permanent bounce and a complaint, each delivered three times: one suppression each, sequences stopped, no later mail', async () => {
	leadSubscriber('bounce@example.com');
	leadSubscriber('complain@example.com');
	const bounce = event('email.bounced', 'Bounce@Example.com');
	const complaint = event('email.complained', 'complain@example.com');
	for (let i = 0; i < 3; i++) {
		expect((await deliver(bounce, 'msg_bounce_1')).status).toBe(200);
		expect((await deliver(complaint, 'msg_complaint_1')).status).toBe(200);
	}
	// The same bounce reported again under a new delivery id still makes no second row.
	expect((await deliver(event('email.bounced', 'bounce@example.com'), 'msg_bounce_2')).status).toBe(200);
	expect(suppressions()).toEqual([
		{ email: 'bounce@example.com', reason: 'bounced' },
		{ email: 'complain@example.com', reason: 'complained' }
	]);
	expect(server.db.prepare('select count(*) as n from resend_events').get()).toEqual({ n: 3 });
	for (const email of ['bounce@example.com', 'complain@example.com']) {
		expect(
			server.db.prepare("select status from sequence_runs where email = ? and sequence = 'lead'").get(email)
		).toEqual({ status: 'stopped' });
		expect(server.db.prepare('select status from outbox where to_email = ?').all(email)).toEqual([
			{ status: 'skipped' }
		]);
	}

	// Nothing goes to them afterwards, not even a transactional sign-in link.
	const before = (server.db.prepare('select coalesce(max(id), 0) as id from demo_mailbox').get() as { id: number }).id;
	for (const email of ['bounce@example.com', 'complain@example.com']) {
		server.db
			.prepare("insert into outbox (idempotency_key, template, to_email, marketing) values (?, 'login-link', ?, 0)")
			.run(`login:${email}`, email);
		server.db
			.prepare("insert into outbox (idempotency_key, template, to_email, marketing, params) values (?, ?, ?, 1, '{}')")
			.run(`lead3:${email}`, `lead/${third.id}`, email);
	}
	const run = await startDrip({ DATABASE_PATH: server.dbPath, ORIGIN: server.origin }).done;
	expect(run.code, run.output).toBe(0);
	expect(
		server.db
			.prepare(
				"select count(*) as n from demo_mailbox where id > ? and to_email in ('bounce@example.com', 'complain@example.com')"
			)
			.get(before)
	).toEqual({ n: 0 });
	expect(
		server.db.prepare("select last_error from outbox where idempotency_key = 'login:bounce@example.com'").get()
	).toEqual({ last_error: 'suppressed: bounced' });
});

test('a transient bounce and other events are acknowledged and suppress nothing', async () => {
	expect((await deliver(event('email.bounced', 'full@example.com', 'Transient'), 'msg_transient')).status).toBe(200);
	expect((await deliver(event('email.delivered', 'fine@example.com'), 'msg_delivered')).status).toBe(200);
	expect(
		server.db
			.prepare("select count(*) as n from suppressions where email in ('full@example.com', 'fine@example.com')")
			.get()
	).toEqual({ n: 0 });
});
