// `npm run restore -- FILE [--timestamp ISO]`: the Litestream replica (LITESTREAM_REPLICA_URL) as a new database FILE.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { enrolments, orders, subscribers } from '../src/lib/server/db/schema';
import { config } from '../src/lib/server/env';
import {
	listGenerations,
	listWalSegments,
	newestSegment,
	positionOf,
	redactReplicaUrl,
	runLitestream
} from '../src/lib/server/replica';

const USAGE = 'usage: npm run restore -- FILE [--timestamp 2026-01-31T18:00:00Z]';

function stop(code: number, message: string): never {
	process.stderr.write(`restore: ${message}\n`);
	process.exit(code);
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function readArguments(): { target: string; timestamp: Date | undefined } {
	let parsed;
	try {
		parsed = parseArgs({ options: { timestamp: { type: 'string' } }, allowPositionals: true });
	} catch (e) {
		stop(2, `${messageOf(e)}\n${USAGE}`);
	}
	const [target, ...extra] = parsed.positionals;
	if (!target || extra.length) stop(2, USAGE);
	const text = parsed.values.timestamp;
	const timestamp = text === undefined ? undefined : new Date(text);
	if (timestamp && Number.isNaN(timestamp.getTime())) {
		stop(2, `--timestamp must be a date and time such as 2026-01-31T18:00:00Z, got "${text}"`);
	}
	return { target, timestamp };
}

const { target, timestamp } = readArguments();
const url = config().litestreamReplicaUrl;
if (!url) stop(2, 'LITESTREAM_REPLICA_URL is not set: there is no replica to restore from');
const shownUrl = redactReplicaUrl(url);

const destination = resolve(target);
for (const path of [destination, `${destination}-wal`]) {
	if (existsSync(path)) stop(2, `${path} already exists; restore into a new file`);
}

const generations = await listGenerations(url).catch((e: unknown) =>
	stop(1, `cannot read the replica at ${shownUrl}: ${messageOf(e)}`)
);
if (generations.length === 0) stop(1, `the replica at ${shownUrl} holds no backup`);

// Litestream restores into PARTIAL.tmp and renames it; FILE gets its name only after the check below.
mkdirSync(dirname(destination), { recursive: true });
const partial = `${destination}.partial`;
const scratch = [`${partial}.tmp`, `${partial}.tmp-wal`, `${partial}.tmp-shm`];
for (const path of [partial, `${partial}-wal`, `${partial}-shm`, ...scratch]) rmSync(path, { force: true });

const at = timestamp ? ['-timestamp', timestamp.toISOString()] : [];
const restored = await runLitestream(['restore', '-o', partial, ...at, url]).then(
	({ stderr }) => ({ log: stderr, error: undefined }),
	(e: unknown) => ({ log: '', error: messageOf(e) })
);
for (const path of scratch) rmSync(path, { force: true });
if (restored.error !== undefined) {
	if (timestamp && restored.error.includes('no matching backups')) {
		const from = new Date(Math.min(...generations.map((g) => g.start.getTime()))).toISOString();
		const to = new Date(Math.max(...generations.map((g) => g.end.getTime()))).toISOString();
		stop(1, `no backup covers ${timestamp.toISOString()}: the replica at ${shownUrl} holds ${from} to ${to}`);
	}
	stop(1, `Litestream could not restore from ${shownUrl}: ${restored.error}`);
}

// The generation Litestream chose, up to its last WAL segment at or before the timestamp.
const generation = /generation=([0-9a-f]+)/.exec(restored.log)?.[1];
const segments = generation ? await listWalSegments(url, generation).catch(() => []) : [];
const last = newestSegment(segments.filter((s) => !timestamp || s.createdAt <= timestamp));

const client = new Database(partial);
// Folds any WAL back into the file, so that FILE alone is the whole database once renamed.
client.pragma('wal_checkpoint(TRUNCATE)');
const check = client.pragma('integrity_check', { simple: true });
if (check !== 'ok') {
	client.close();
	stop(1, `the restored copy failed its integrity check (${String(check)}); it is kept as ${partial}`);
}
const db = drizzle(client);
const [orderCount, enrolmentCount, subscriberCount] = await Promise.all([
	db.$count(orders),
	db.$count(enrolments),
	db.$count(subscribers)
]);
const counts = `${orderCount} orders, ${enrolmentCount} enrolments, ${subscriberCount} subscribers`;
client.close();
renameSync(partial, destination);

const where = last
	? `position ${positionOf(last)}, replicated ${last.createdAt.toISOString()}`
	: `generation ${generation ?? 'unknown'}`;
const asOf = timestamp ? `, as of ${timestamp.toISOString()}` : '';
process.stdout.write(`restore: ${destination} from ${shownUrl} (${where}${asOf})\nrestore: integrity ok; ${counts}\n`);
