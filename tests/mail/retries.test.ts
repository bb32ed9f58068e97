// Rate limits, 5xx, hung calls and permanent refusals, against the fake Resend, with the sender in this process.
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { resendEnv, startFakeResend, type FakeResend } from '../support/fake-resend';
import { fixtureCourse } from '../support/fixture-course';
import { mailEnv, type MailEnv } from '../support/mail-env';
import { openStore, seedLeads } from '../support/mail-seed';
import { db } from '../../src/lib/server/db';
import { listFailedMails, queueMail, retryFailedMails } from '../../src/lib/server/mail/outbox';
import { runSenderPass } from '../../src/lib/server/mail/sender';

let fake: FakeResend;
let env: MailEnv;

beforeAll(async () => {
	fake = await startFakeResend();
	env = mailEnv(resendEnv(fake));
	openStore();
});

afterAll(async () => {
	await fake.close();
	env.cleanup();
});

beforeEach(() => {
	fake.requests.length = 0;
	fake.perSecond = undefined;
	fake.onRequest = undefined;
	fake.policy = () => ({ kind: 'ok' });
});

function statusOf(prefix: string): Record<string, number> {
	const rows = db()
		.$client.prepare('select status, count(*) as n from outbox where idempotency_key like ? group by status')
		.all(`lead:${prefix}%:01-welcome`) as {
		status: string;
		n: number;
	}[];
	return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

test('429 storms and 10 % of 500s: all delivered once, none before its retry-after', async () => {
	const emails = seedLeads(2000, 'storm');
	// Two storms of three 429s with retry-after: 1; every tenth answer a 500; now and then ratelimit-remaining: 0.
	const storms = new Set([2, 3, 4, 14, 15, 16]);
	fake.policy = (n) => {
		if (storms.has(n)) return { kind: 'status', status: 429, retryAfter: 1 };
		if (n % 10 === 9) return { kind: 'status', status: 500 };
		if (n % 7 === 6) return { kind: 'ok', headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '1' } };
		return { kind: 'ok' };
	};
	const report = await runSenderPass();
	expect(report.sent).toBe(2000);
	expect(statusOf('storm')).toEqual({ sent: 2000 });
	for (const e of emails) expect(fake.delivered.get(`lead:${e}:01-welcome`)).toBe(1);
	expect(fake.requests.filter((r) => r.outcome === 429)).toHaveLength(6);
	expect(fake.requests.filter((r) => r.outcome === 500).length).toBeGreaterThanOrEqual(2);
	expect(fake.early()).toEqual([]);
	// Each retry of a refused batch went out under the same key.
	const retried = fake.requests.filter((r) => r.outcome === 429 || r.outcome === 500).map((r) => r.batchKey);
	for (const key of retried)
		expect(fake.requests.some((r) => r.batchKey === key && r.outcome === 'delivered')).toBe(true);
}, 120_000);

test("Resend's own rate window (2 a second): the sender paces itself on ratelimit-* and loses nothing", async () => {
	seedLeads(500, 'window');
	fake.perSecond = 2;
	const started = Date.now();
	const report = await runSenderPass();
	expect(report.sent).toBe(500);
	expect(statusOf('window')).toEqual({ sent: 500 });
	expect(fake.early()).toEqual([]);
	// Five batches at two a second take at least two seconds.
	expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
}, 60_000);

test('a call that hangs is given up and the same batch sent again: the provider replays it, nothing arrives twice', async () => {
	const emails = seedLeads(150, 'hang');
	// The first call is accepted but never answered; the second is not even processed.
	fake.policy = (n) => (n === 0 ? { kind: 'accept-then-hang' } : n === 1 ? { kind: 'hang' } : { kind: 'ok' });
	const report = await runSenderPass({ requestTimeoutMs: 300 });
	expect(report.sent).toBe(150);
	for (const e of emails) expect(fake.delivered.get(`lead:${e}:01-welcome`)).toBe(1);
	expect(fake.requests[2].batchKey).toBe(fake.requests[0].batchKey);
	expect(fake.requests.some((r) => r.outcome === 'replayed')).toBe(true);
}, 60_000);

test('a permanent refusal is kept as failed with its reason, shown, and can be queued again', async () => {
	queueMail({ key: 'refused-1', template: 'login-link', to: 'refused@example.com', params: {} });
	fake.policy = () => ({ kind: 'status', status: 403, name: 'invalid_from_address' });
	const report = await runSenderPass();
	expect(report.failed).toBe(1);
	const failed = listFailedMails().find((f) => f.key === 'refused-1');
	expect(failed?.error).toMatch(/403 invalid_from_address/);

	// The seller fixes the domain and runs `npm run drip -- --retry-failed`.
	fake.policy = () => ({ kind: 'ok' });
	expect(retryFailedMails()).toBeGreaterThanOrEqual(1);
	await runSenderPass();
	expect(fake.delivered.get('refused-1')).toBe(1);
});

test('one bad address in a batch fails alone (permissive validation); the others are sent', async () => {
	queueMail({ key: 'bad-to', template: 'login-link', to: 'someone@example.invalid', params: {} });
	queueMail({ key: 'good-to', template: 'login-link', to: 'someone@example.com', params: {} });
	await runSenderPass();
	expect(fake.delivered.get('good-to')).toBe(1);
	expect(fake.delivered.has('bad-to')).toBe(false);
	expect(listFailedMails().find((f) => f.key === 'bad-to')?.error).toMatch(/refused by Resend/);
});

test('mail reaches the provider with its Bengali subject, a text part and, for marketing, the unsubscribe headers', async () => {
	const [lead] = seedLeads(1, 'provider');
	queueMail({ key: 'provider-login', template: 'login-link', to: 'provider@example.com', params: {} });
	await runSenderPass();
	const { free, steps } = fixtureCourse();
	const mail = fake.mails.get(`lead:${lead}:01-welcome`);
	expect(mail?.subject).toBe(steps('lead')[0].subject);
	expect(mail?.text).toContain(`https://course.example.com/lessons/${free[0].slug}`);
	expect(mail?.text).toContain('বাড়ি ১২, রোড ৩, ঢাকা ১২০৫');
	expect(mail?.headers['List-Unsubscribe']).toMatch(
		/^<https:\/\/course\.example\.com\/unsubscribe\?token=[\w-]+\.[\w-]+>$/
	);
	expect(mail?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
	expect(mail?.html).toContain('/unsubscribe?token=');
	const login = fake.mails.get('provider-login');
	expect(login?.subject).toBe('আপনার সাইন ইনের লিংক');
	expect(login?.headers['List-Unsubscribe']).toBeUndefined();
});

test('a refusal that does not prove the batch was never accepted (its key already used) fails it but keeps its key', async () => {
	queueMail({ key: 'key-reused', template: 'login-link', to: 'reused@example.com', params: {} });
	fake.policy = () => ({ kind: 'status', status: 409, name: 'invalid_idempotent_request' });
	const report = await runSenderPass();
	expect(report.failed).toBe(1);
	const row = db()
		.$client.prepare(
			"select status, batch_id, payload is not null as frozen from outbox where idempotency_key = 'key-reused'"
		)
		.get();
	expect(row).toMatchObject({ status: 'failed', frozen: 1 });
	expect((row as { batch_id: string | null }).batch_id).not.toBeNull();
	// Queued again, it goes out under the same batch key and payload.
	fake.policy = () => ({ kind: 'ok' });
	retryFailedMails();
	await runSenderPass();
	const calls = fake.requests.filter((r) => r.keys.includes('key-reused'));
	expect(new Set(calls.map((c) => c.batchKey)).size).toBe(1);
	expect(fake.delivered.get('key-reused')).toBe(1);
});
