/**
 * Ebook lines: a cached download (the bench student's lessons are all open, so the first request builds
 * the book and every later one reads the file), and first builds, each for a new buyer, timed one by one.
 */
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { childrenLogOf, memoryPeak } from '../lib/memory';
import { createSession } from '../lib/seed';
import type { BenchSuite, SuiteLine } from '../lib/types';

const FIRST_BUILDS = Number(process.env.BENCH_EBOOK_BUILDS ?? 5);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * A GET on a connection of its own: fetch would leave idle sockets in its pool, and a later suite that blocks
 * the event loop would then reuse one the server has closed.
 */
function download(url: string, cookie: string): Promise<{ status: number; bytes: number }> {
	return new Promise((done, fail) => {
		get(url, { headers: { cookie }, agent: false }, (res) => {
			let bytes = 0;
			res.on('data', (chunk: Buffer) => (bytes += chunk.length));
			res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
			res.on('error', fail);
		}).on('error', fail);
	});
}

export const suite: BenchSuite = {
	name: 'ebook',
	targets: () => [
		{ name: 'ebook.epub, cached download', path: '/course/ebook.epub', signedIn: true },
		{ name: 'ebook.pdf, cached download', path: '/course/ebook.pdf', signedIn: true }
	],
	async run(ctx) {
		const lines: SuiteLine[] = [];
		const from = Date.now();
		for (const format of ['epub', 'pdf'] as const) {
			const times: number[] = [];
			let bytes = 0;
			for (let i = 0; i < FIRST_BUILDS; i++) {
				const email = `ebook.${randomBytes(4).toString('hex')}@example.com`;
				const { id } = ctx.db
					.prepare('insert into users (email, name) values (?, ?) returning id')
					.get(email, `পাঠক ${i}`) as { id: number };
				ctx.db
					.prepare('insert into enrolments (user_id, status, all_lessons_open, enrolled_at) values (?, ?, 1, ?)')
					.run(id, 'active', Date.now());
				const cookie = createSession(ctx.db, id);
				const started = performance.now();
				const res = await download(`${ctx.origin}/course/ebook.${format}`, cookie);
				times.push(performance.now() - started);
				if (res.status !== 200)
					return [
						{ name: `ebook.${format}: first build`, value: 0, unit: 'ms', note: `skipped: answers ${res.status}` }
					];
				bytes = res.bytes;
			}
			lines.push({
				name: `ebook.${format}: first build for a new buyer`,
				value: Math.round(median(times)),
				unit: 'ms',
				note: `median of ${FIRST_BUILDS}, ${times.map((t) => t.toFixed(0)).join(' / ')} ms; a stamped book is ${(bytes / 1024).toFixed(0)} KB`
			});
		}
		// bench/run.ts has the server write memory.log next to the database; the builder writes beside it.
		const builder = memoryPeak(childrenLogOf(join(dirname(ctx.databasePath), 'memory.log')), from);
		if (builder)
			lines.push({
				name: 'ebook builder process: peak RSS while building',
				value: Math.round(builder.rssMb),
				unit: 'MB',
				note: 'a child of the server, gone a few seconds after its last book; not in the server RSS above'
			});
		return lines;
	}
};
