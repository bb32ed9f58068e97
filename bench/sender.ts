// Sender benchmark: `npx tsx bench/sender.ts [mails]` (default 10,000). Prints figures; asserts nothing.
// Seeds confirmed subscribers whose welcome mail is due (a lead sequence mail, composed at send time), then:
//   1. the sender's own work: compose + claim (frozen into leased batches) + record, the provider's answer made up;
//   2. one provider call of 100 mails to the fake Resend API, which runs in its own process with no rate limit;
//   3. the whole drain through that fake: compose, claim, send, record until nothing is due.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Resend } from 'resend';
import { closeDatabase } from '../src/lib/server/db';
import { claimBatch, recordResults, type PassReport } from '../src/lib/server/mail/batches';
import { toResendEmail } from '../src/lib/server/mail/transport';
import { runSenderPass } from '../src/lib/server/mail/sender';
import { mailEnv, ROOT } from '../tests/support/mail-env';
import { openStore, seedLeads } from '../tests/support/mail-seed';

const count = Number(process.argv[2] ?? 10_000);
const postal = { MAIL_POSTAL_ADDRESS: 'বাড়ি ১২, রোড ৩, ঢাকা ১২০৫' };
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')} mails/s`;
const emptyReport = (): PassReport => ({ sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0 });

const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/fake-resend-server.ts')], {
	cwd: ROOT,
	stdio: ['ignore', 'pipe', 'inherit']
});
const url = await new Promise<string>((resolve) =>
	server.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()))
);
// The welcome mail the seller ships, not the tests' own course.
const env = (): ReturnType<typeof mailEnv> =>
	mailEnv({ COURSE_DIR: join(ROOT, 'course'), RESEND_API_KEY: 're_bench', RESEND_BASE_URL: url, ...postal });

try {
	// 1. The sender's own work, without the provider's.
	let e = env();
	openStore();
	seedLeads(count, 'own');
	const own = emptyReport();
	let started = performance.now();
	for (let batch = claimBatch(Date.now()).batch; batch; batch = claimBatch(Date.now()).batch) {
		recordResults(
			batch,
			batch.ids.map((id) => ({ ok: true, providerId: `made-up-${id}` })),
			own
		);
	}
	const ownMs = performance.now() - started;
	closeDatabase();
	e.cleanup();

	// 2. One call of 100 such mails to the fake, repeated: the provider's share of the time.
	e = env();
	openStore();
	seedLeads(100, 'call');
	const sample = claimBatch(Date.now()).batch!.mails.map(toResendEmail);
	closeDatabase();
	e.cleanup();
	const resend = new Resend('re_bench');
	started = performance.now();
	for (let i = 0; i < 30; i++) {
		// Fresh mail keys each time, so the fake counts each call's mails once.
		const mails = sample.map((m) => ({
			...m,
			headers: { ...m.headers, 'X-Entity-Ref-ID': `${m.headers['X-Entity-Ref-ID']}#${i}` }
		}));
		await resend.batch.send(mails, { idempotencyKey: `bench-call-${i}`, batchValidation: 'permissive' });
	}
	const callMs = (performance.now() - started) / 30;
	const bytes = Buffer.byteLength(JSON.stringify(sample));

	// 3. The whole path.
	e = env();
	openStore();
	seedLeads(count, 'drain');
	started = performance.now();
	const report = await runSenderPass();
	const drainMs = performance.now() - started;
	closeDatabase();
	e.cleanup();

	const stats = (await (await fetch(`${url}/_fake/stats`)).json()) as { delivered: number; duplicates: number };
	console.log(
		`sender: ${count.toLocaleString('en')} due mails (lead welcome, ~${Math.round(bytes / 100 / 1024)} KB each), batches of 100, SQLite synchronous=FULL`
	);
	console.log(
		`  composed + claimed + recorded (provider answer made up)  ${rate(own.sent, ownMs).padStart(13)}   ${Math.round(ownMs)} ms`
	);
	console.log(
		`  one provider call of 100 mails to the fake over HTTP      ${`${callMs.toFixed(1)} ms`.padStart(13)}   (≤ ${rate(100, callMs)} end to end)`
	);
	console.log(
		`  drain: composed + claimed + sent + recorded               ${rate(report.sent, drainMs).padStart(13)}   ${Math.round(drainMs)} ms for ${report.sent.toLocaleString('en')}`
	);
	console.log(`  at the fake: ${stats.duplicates} mails delivered twice`);
} finally {
	server.kill();
}
