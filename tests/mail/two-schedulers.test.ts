// Two schedulers draining the same outbox at once never send a mail twice.
import { expect, test } from 'vitest';
import { seedLeads, useDripStore } from '../support/mail-seed';
import { startDrip } from '../support/mail-env';
import { closeDatabase, db } from '../../src/lib/server/db';

const drip = useDripStore(() => seedLeads(5000, 'pair'));

test('5,000 due mails, two schedulers at once: no key sent twice, none missing', async () => {
	const { fake, env: childEnv } = drip;
	fake.policy = () => ({ kind: 'ok', delayMs: 3 });
	const [a, b] = await Promise.all([startDrip(childEnv).done, startDrip(childEnv).done]);
	expect(a.code, a.output).toBe(0);
	expect(b.code, b.output).toBe(0);

	// Every request carried its own batch key and its own mails: nothing was sent twice, not even as a replay.
	const batchKeys = fake.requests.map((r) => r.batchKey);
	expect(new Set(batchKeys).size).toBe(batchKeys.length);
	const sentKeys = fake.requests.flatMap((r) => r.keys);
	expect(new Set(sentKeys).size).toBe(sentKeys.length);
	expect(fake.requests.every((r) => r.outcome === 'delivered')).toBe(true);
	expect(fake.requests.every((r) => r.keys.length <= 100)).toBe(true);

	const rows = db()
		.$client.prepare("select idempotency_key as key, status from outbox where template = 'lead/01-welcome'")
		.all() as {
		key: string;
		status: string;
	}[];
	expect(rows).toHaveLength(5000);
	expect(rows.every((r) => r.status === 'sent')).toBe(true);
	for (const r of rows) expect(fake.delivered.get(r.key)).toBe(1);

	// Both schedulers did part of the work.
	const sentBy = [a, b].map((run) => Number(/done in \d+ ms — sent (\d+)/.exec(run.output)?.[1] ?? 0));
	expect(sentBy[0] + sentBy[1]).toBe(5000);
	console.log(`two schedulers: ${sentBy.join(' + ')} mails in ${fake.requests.length} batches`);
	closeDatabase();
});
