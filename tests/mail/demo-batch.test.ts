// The demo mailbox stores a batch of mails in one commit: all of it or none, and a batch sent again (a crash
// before its results were recorded) lands nowhere twice.
import { afterAll, expect, test } from 'vitest';
import { mailEnv } from '../support/mail-env';
import { closeDatabase, db } from '../../src/lib/server/db';
import { deliverToMailbox } from '../../src/lib/server/mail/mailbox';
import type { OutgoingMail } from '../../src/lib/server/mail/transport';

const store = mailEnv();
afterAll(() => {
	closeDatabase();
	store.cleanup();
});

const mail = (n: number): OutgoingMail => ({
	key: `demo-batch:${n}`,
	from: 'store@example.com',
	to: `reader${n}@example.com`,
	subject: `mail ${n}`,
	html: `<p>${n}</p>`,
	text: String(n),
	headers: { 'X-Entity-Ref-ID': `demo-batch:${n}` }
});

const stored = (): { key: string; id: number }[] =>
	db()
		.$client.prepare(
			"select idempotency_key as key, id from demo_mailbox where idempotency_key like 'demo-batch:%' order by id"
		)
		.all() as { key: string; id: number }[];

test('a batch lands once per key, in order, and the same batch sent again answers the same ids', () => {
	const batch = [1, 2, 3].map(mail);
	const ids = deliverToMailbox(batch);
	expect(stored()).toEqual(batch.map((m, i) => ({ key: m.key, id: ids[i] })));
	expect(deliverToMailbox(batch)).toEqual(ids);
	expect(stored()).toHaveLength(3);
});

test('a batch with a mail that cannot be stored leaves nothing of itself behind', () => {
	const broken = { ...mail(5), subject: null } as unknown as OutgoingMail;
	expect(() => deliverToMailbox([mail(4), broken, mail(6)])).toThrow();
	expect(stored().map((m) => m.key)).toEqual(['demo-batch:1', 'demo-batch:2', 'demo-batch:3']);
});
