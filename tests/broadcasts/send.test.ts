// A broadcast goes through the outbox: a scheduler killed while queuing or sending, and two schedulers at once,
// deliver it to every recipient exactly once (counted by idempotency key at the fake Resend).
import { expect, test } from 'vitest';
import { closeDatabase, db, writeTransaction } from '../../src/lib/server/db';
import { POSTAL_ADDRESS } from '../support/fake-resend';
import { startDrip } from '../support/mail-env';
import { query, useDripStore } from '../support/mail-seed';

const READERS = 600;
const drip = useDripStore(() =>
	writeTransaction(() => {
		const insert = query(
			`insert into subscribers (email, status, consent_at, consent_page, consent_form, consent_text_version, confirmed_at)
			 values (?, 'confirmed', 0, '/', 'sales-page', '2026-12-bn-2', 0)`
		);
		for (let i = 0; i < READERS; i++) insert.run(`reader${String(i).padStart(4, '0')}@example.com`);
	})
);

function schedule(subject: string): number {
	const id = (
		query(
			"insert into broadcasts (subject, markdown, segment, status, send_at) values (?, 'নতুন পাঠ: {{course_url}}', 'subscribers', 'scheduled', ?) returning id"
		).get(subject, Date.now() - 1000) as { id: number }
	).id;
	closeDatabase();
	return id;
}

function expireLeases(): void {
	query('update outbox set lease_until = ? where lease_until is not null').run(Date.now() - 1);
	closeDatabase();
}

const keysOf = (id: number): { key: string; status: string }[] =>
	db()
		.$client.prepare('select idempotency_key as key, status from outbox where template = ?')
		.all(`broadcast/${id}`) as { key: string; status: string }[];

test('killed while sending, then finished by another run: each reader gets the broadcast once', async () => {
	const { fake, env: childEnv } = drip;
	const id = schedule('বোনাস পাঠ');
	const first = startDrip(childEnv);
	fake.policy = (n) => (n === 3 ? { kind: 'accept-then-hang' } : { kind: 'ok', delayMs: 10 });
	fake.onRequest = (r) => {
		if (r.n === 3) setTimeout(() => first.kill(), 50);
	};
	expect((await first.done).signal).toBe('SIGKILL');
	expireLeases();
	fake.onRequest = undefined;
	fake.policy = () => ({ kind: 'ok' });
	const second = await startDrip(childEnv).done;
	expect(second.code, second.output).toBe(0);

	const keys = keysOf(id);
	expect(keys).toHaveLength(READERS);
	expect(keys.filter((k) => k.status !== 'sent')).toEqual([]);
	for (const k of keys) expect(fake.delivered.get(k.key), k.key).toBe(1);
	expect(query('select status, recipients from broadcasts where id = ?').get(id)).toEqual({
		status: 'queued',
		recipients: READERS
	});

	// What a reader gets: the text, the one-click unsubscribe, the postal address and why they get it.
	const mail = fake.mails.get(keys[0].key)!;
	expect(mail.subject).toBe('বোনাস পাঠ');
	expect(mail.headers['List-Unsubscribe']).toMatch(/^<https:\/\/course\.example\.com\/unsubscribe\?token=/);
	expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
	expect(mail.text).toContain(POSTAL_ADDRESS);
	expect(mail.text).toContain('আপনি এই ইমেইল পাচ্ছেন কারণ');
	expect(mail.text).toContain('নতুন পাঠ: https://course.example.com/');
	closeDatabase();
});

test('killed while queuing, with two schedulers going on at once: still once each', async () => {
	const { fake, env: childEnv } = drip;
	const id = schedule('লাইভ সেশন');
	// The first run dies as the first batch reaches the provider: queuing is done, sending has begun.
	const first = startDrip(childEnv);
	fake.policy = () => ({ kind: 'ok', delayMs: 10 });
	await new Promise<void>((resolve) => {
		const start = fake.requests.length;
		fake.onRequest = (r) => {
			if (r.n !== start) return;
			first.kill();
			resolve();
		};
	});
	await first.done;
	// A crash that lost the queuing cursor, so both next runs queue the whole segment again.
	query("update broadcasts set status = 'queuing', cursor = null where id = ?").run(id);
	expireLeases();
	fake.onRequest = undefined;
	const [a, b] = await Promise.all([startDrip(childEnv).done, startDrip(childEnv).done]);
	expect(a.code, a.output).toBe(0);
	expect(b.code, b.output).toBe(0);
	const rerun = await startDrip(childEnv).done;
	expect(rerun.code, rerun.output).toBe(0);

	const keys = keysOf(id);
	expect(keys).toHaveLength(READERS);
	expect(keys.filter((k) => k.status !== 'sent')).toEqual([]);
	for (const k of keys) expect(fake.delivered.get(k.key), k.key).toBe(1);
	closeDatabase();
});
