// A scheduler killed in the middle of a batch of 2,000 due mails loses nothing and doubles nothing.
import { expect, test } from 'vitest';
import { seedLeads, useDripStore } from '../support/mail-seed';
import { startDrip } from '../support/mail-env';
import { closeDatabase, db } from '../../src/lib/server/db';

const drip = useDripStore(() => seedLeads(2000, 'crash'));

/** Time passes: every lease has run out (as it would two minutes after a crash). */
function expireLeases(): void {
	db()
		.$client.prepare('update outbox set lease_until = ? where lease_until is not null')
		.run(Date.now() - 1);
	closeDatabase();
}

test('killed mid-batch twice, then finished by another run: every mail arrives exactly once', async () => {
	const { fake, env: childEnv } = drip;
	// Run 1: the provider accepts the 6th batch but its answer never comes back, and the process dies.
	const first = startDrip(childEnv);
	fake.policy = (n) => (n === 5 ? { kind: 'accept-then-hang' } : { kind: 'ok', delayMs: 20 });
	fake.onRequest = (r) => {
		if (r.n === 5) setTimeout(() => first.kill(), 50);
	};
	const run1 = await first.done;
	expect(run1.signal).toBe('SIGKILL');
	expect(fake.delivered.size).toBe(600);
	const hungBatch = fake.requests[5].batchKey;

	// Run 2: killed at an arbitrary moment while batches are in flight.
	expireLeases();
	fake.onRequest = undefined;
	fake.policy = () => ({ kind: 'ok', delayMs: 15 });
	const second = startDrip(childEnv);
	await new Promise<void>((resolve) => {
		fake.onRequest = (r) => {
			if (r.n === 9) setTimeout(() => (second.kill(), resolve()), 7);
		};
	});
	expect((await second.done).signal).toBe('SIGKILL');

	// Run 3 finishes the job.
	expireLeases();
	fake.onRequest = undefined;
	const third = await startDrip(childEnv).done;
	expect(third.code, third.output).toBe(0);

	// Exactly once by key, none missing.
	const keys = db()
		.$client.prepare(
			"select idempotency_key as key, status, provider_id from outbox where template = 'lead/01-welcome'"
		)
		.all() as {
		key: string;
		status: string;
		provider_id: string;
	}[];
	expect(keys).toHaveLength(2000);
	expect(keys.filter((k) => k.status !== 'sent')).toEqual([]);
	expect(fake.delivered.size).toBe(2000);
	for (const k of keys) expect(fake.delivered.get(k.key), k.key).toBe(1);
	expect([...fake.delivered.values()].every((n) => n === 1)).toBe(true);
	// The batch whose answer was lost was sent again under the same key, and the provider replayed it.
	const replays = fake.requests.filter((r) => r.batchKey === hungBatch && r.outcome === 'replayed');
	expect(replays.length).toBeGreaterThanOrEqual(1);
	// Its rows carry the ids the provider gave the first time.
	for (const key of fake.requests[5].keys)
		expect(keys.find((k) => k.key === key)?.provider_id).toBe(fake.mails.get(key)?.id);
	closeDatabase();
});
