// Sender benchmark: `npx tsx bench/sender.ts [mails]` (default 10,000). Prints figures; asserts nothing.
// Seeds confirmed subscribers whose welcome mail is due, then drains the outbox through the real sender into the
// fake Resend API (no rate limit) running in its own process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { closeDatabase } from '../src/lib/server/db';
import { claimBatch, runSenderPass } from '../src/lib/server/mail/sender';
import { mailEnv, ROOT } from '../tests/support/mail-env';
import { openStore, seedLeads } from '../tests/support/mail-seed';

const count = Number(process.argv[2] ?? 10_000);
const postal = { MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫' };
const perSecond = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')} mails/s`;

const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/fake-resend-server.ts')], {
	cwd: ROOT,
	stdio: ['ignore', 'pipe', 'inherit']
});
const url = await new Promise<string>((resolve) =>
	server.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()))
);

try {
	// 1. Composing and claiming alone: rows composed at send time, frozen into leased batches, nothing sent.
	let env = mailEnv({ RESEND_API_KEY: 're_bench', RESEND_BASE_URL: url, ...postal });
	openStore();
	seedLeads(count, 'claim');
	let started = performance.now();
	let claimed = 0;
	for (let batch = claimBatch(Date.now()).batch; batch; batch = claimBatch(Date.now()).batch)
		claimed += batch.ids.length;
	const claimMs = performance.now() - started;
	closeDatabase();
	env.cleanup();

	// 2. The whole path: compose, claim, send over HTTP, record the provider ids, until nothing is due.
	env = mailEnv({ RESEND_API_KEY: 're_bench', RESEND_BASE_URL: url, ...postal });
	openStore();
	started = performance.now();
	seedLeads(count, 'drain');
	const seedMs = performance.now() - started;
	started = performance.now();
	const report = await runSenderPass();
	const drainMs = performance.now() - started;
	closeDatabase();
	env.cleanup();

	const stats = (await (await fetch(`${url}/_fake/stats`)).json()) as {
		requests: number;
		delivered: number;
		duplicates: number;
	};
	console.log(
		`sender: ${count.toLocaleString('en')} due mails (the lead welcome, composed at send time), batches of 100, SQLite synchronous=FULL`
	);
	console.log(
		`  composed + claimed (no sending)          ${perSecond(claimed, claimMs).padStart(14)}  (${Math.round(claimMs)} ms)`
	);
	console.log(
		`  composed + claimed + sent + recorded     ${perSecond(report.sent, drainMs).padStart(14)}  (drained in ${Math.round(drainMs)} ms, ${stats.requests} calls)`
	);
	console.log(
		`  at the fake: ${stats.delivered - count} extra, ${stats.duplicates} duplicates; seeding took ${Math.round(seedMs)} ms`
	);
} finally {
	server.kill();
}
