// What a broadcast did, on its /admin page: Resend's signed delivered and clicked events (each once, however often
// delivered), bounces and complaints after it was sent, and its failed mails. No open tracking.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bnDigits } from '../../src/lib/format';
import { startServer, type TestServer } from '../support/server';
import { signIn } from '../support/students';

const ADMIN = 'seller@example.com';
const secret = `whsec_${randomBytes(24).toString('base64')}`;
let server: TestServer;
let broadcastId: number;
const READERS = ['r0@example.com', 'r1@example.com', 'r2@example.com', 'r3@example.com', 'r4@example.com'];

beforeAll(async () => {
	server = await startServer({ RESEND_WEBHOOK_SECRET: secret, ADMIN_EMAILS: ADMIN });
	const sentAt = Date.now() - 60_000;
	broadcastId = (
		server.db
			.prepare(
				"insert into broadcasts (subject, markdown, segment, status, send_at, recipients) values ('ফল', 'লেখা', 'everyone', 'queued', ?, 5) returning id"
			)
			.get(sentAt) as { id: number }
	).id;
	const insert = server.db.prepare(
		`insert into outbox (idempotency_key, template, to_email, marketing, status, provider_id, sent_at)
		 values (?, ?, ?, 1, ?, ?, ?)`
	);
	READERS.forEach((to, i) =>
		insert.run(
			`broadcast:${broadcastId}:${to}`,
			`broadcast/${broadcastId}`,
			to,
			i === 4 ? 'failed' : 'sent',
			i === 4 ? null : `em_${i}`,
			i === 4 ? null : sentAt
		)
	);
	// A bounce from before the broadcast went out is not its bounce.
	server.db
		.prepare(
			"insert into suppressions (email, reason, detail, created_at) values ('r1@example.com', 'bounced', 'old', ?)"
		)
		.run(sentAt - 86_400_000);
});
afterAll(async () => {
	await server?.stop();
});

function event(type: string, to: string, emailId: string): string {
	const data: Record<string, unknown> = { created_at: new Date().toISOString(), email_id: emailId, to: [to] };
	if (type === 'email.bounced') data.bounce = { type: 'Permanent', subType: 'General', message: 'no such mailbox' };
	if (type === 'email.clicked') data.click = { link: 'https://example.com/', timestamp: new Date().toISOString() };
	return JSON.stringify({ type, created_at: new Date().toISOString(), data });
}

async function deliver(type: string, to: string, emailId: string, id = `msg_${randomBytes(6).toString('hex')}`) {
	const payload = event(type, to, emailId);
	const at = new Date();
	const res = await fetch(new URL('/api/webhooks/resend', server.origin), {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'svix-id': id,
			'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
			'svix-signature': new Webhook(secret).sign(id, at, payload)
		},
		body: payload
	});
	expect(res.status).toBe(200);
}

test('delivered, clicked, bounced, complained and failed are counted once each, for this broadcast only', async () => {
	await deliver('email.delivered', 'r0@example.com', 'em_0', 'msg_same');
	await deliver('email.delivered', 'r0@example.com', 'em_0', 'msg_same');
	// Resend may report the same mail delivered under another delivery id: still one delivered mail.
	await deliver('email.delivered', 'r0@example.com', 'em_0');
	await deliver('email.delivered', 'r1@example.com', 'em_1');
	await deliver('email.delivered', 'r2@example.com', 'em_2');
	await deliver('email.clicked', 'r0@example.com', 'em_0');
	await deliver('email.clicked', 'r0@example.com', 'em_0');
	await deliver('email.complained', 'r2@example.com', 'em_2');
	await deliver('email.bounced', 'r3@example.com', 'em_3');
	// Another mail's events change nothing here.
	await deliver('email.delivered', 'someone@example.com', 'em_other');
	await deliver('email.clicked', 'someone@example.com', 'em_other');

	const admin = await signIn(server, ADMIN);
	const html = await (await admin.get(`/admin/broadcasts/${broadcastId}`)).text();
	const stat = (name: string): string | undefined => new RegExp(`data-stat="${name}">([^<]*)<`).exec(html)?.[1];
	expect({
		sent: stat('sent'),
		failed: stat('failed'),
		delivered: stat('delivered'),
		clicked: stat('clicked'),
		bounced: stat('bounced'),
		complained: stat('complained'),
		unsubscribed: stat('unsubscribed')
	}).toEqual({
		sent: bnDigits(4),
		failed: bnDigits(1),
		delivered: bnDigits(3),
		clicked: bnDigits(1),
		bounced: bnDigits(1),
		complained: bnDigits(1),
		unsubscribed: bnDigits(0)
	});
	expect(html).not.toMatch(/<img[^>]+(track|pixel|open)/i);
	expect(
		server.db.prepare("select count(*) n from mail_events where provider_id in ('em_0', 'em_other')").get()
	).toEqual({ n: 4 });
});
