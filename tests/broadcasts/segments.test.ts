// Each segment reaches exactly the right addresses of a list with every status, queued in chunks, each address once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closeDatabase } from '../../src/lib/server/db';
import { countSegment, parseSegmentText, segmentAddresses } from '../../src/lib/server/broadcasts/segments';
import { findBroadcast, queueBroadcast, queueDueBroadcasts } from '../../src/lib/server/broadcasts/store';
import { seedEveryStatus } from '../support/broadcast-seed';
import { mailEnv, type MailEnv } from '../support/mail-env';
import { openStore, query } from '../support/mail-seed';

let env: MailEnv;
let expected: Record<string, string[]>;

beforeAll(() => {
	env = mailEnv();
	openStore();
	expected = seedEveryStatus();
});
afterAll(() => {
	closeDatabase();
	env.cleanup();
});

function scheduled(segment: string, sendAt = Date.now()): number {
	return (
		query(
			"insert into broadcasts (subject, markdown, segment, status, send_at) values ('s', 'b', ?, 'scheduled', ?) returning id"
		).get(segment, sendAt) as { id: number }
	).id;
}

const queuedTo = (id: number): string[] =>
	(
		query('select to_email from outbox where template = ? order by to_email').all(`broadcast/${id}`) as {
			to_email: string;
		}[]
	).map((r) => r.to_email);

test('the seeded list has someone in every segment that should have someone', () => {
	expect(Object.keys(expected)).toHaveLength(8);
	expect(Object.values(expected).filter((a) => a.length === 0)).toHaveLength(1);
});

test('each segment counts, lists and queues exactly its addresses', async () => {
	for (const [text, addresses] of Object.entries(expected)) {
		const segment = parseSegmentText(text)!;
		expect(segment, text).toBeDefined();
		expect(segmentAddresses(segment), text).toEqual(addresses);
		expect(countSegment(segment), text).toBe(addresses.length);
		const id = scheduled(text);
		await queueDueBroadcasts([]);
		expect(queuedTo(id), text).toEqual(addresses);
		const row = findBroadcast(id)!;
		expect([row.status, row.recipients], text).toEqual(['queued', addresses.length]);
		// Every broadcast mail is marketing: consent, unsubscribe link and suppressions apply at send time too.
		expect(query('select count(*) n from outbox where template = ? and marketing = 0').get(`broadcast/${id}`)).toEqual({
			n: 0
		});
	}
});

test('queued in chunks of two, and queued again from the start after a crash, everyone gets one row', async () => {
	const id = scheduled('everyone');
	query("update broadcasts set status = 'queuing' where id = ?").run(id);
	const added = await queueBroadcast(findBroadcast(id)!, Date.now(), 2);
	expect(added).toBe(expected.everyone.length);
	// A crash that lost the cursor: the same broadcast queued again from the start adds nobody.
	query("update broadcasts set status = 'queuing', cursor = null where id = ?").run(id);
	expect(await queueBroadcast(findBroadcast(id)!, Date.now(), 3)).toBe(0);
	expect(queuedTo(id)).toEqual(expected.everyone);
	expect(findBroadcast(id)!.status).toBe('queued');
});

test('a broadcast not yet due, a draft and a cancelled one queue nobody', async () => {
	const later = scheduled('everyone', Date.now() + 60_000);
	const draft = scheduled('everyone');
	query("update broadcasts set status = 'draft' where id = ?").run(draft);
	const cancelled = scheduled('everyone');
	query("update broadcasts set status = 'cancelled' where id = ?").run(cancelled);
	await queueDueBroadcasts([]);
	for (const id of [later, draft, cancelled]) expect(queuedTo(id), String(id)).toEqual([]);
	await queueDueBroadcasts([], Date.now() + 61_000);
	expect(queuedTo(later)).toEqual(expected.everyone);
	expect(queuedTo(draft)).toEqual([]);
	expect(queuedTo(cancelled)).toEqual([]);
});
