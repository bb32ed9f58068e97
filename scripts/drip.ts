// `npm run drip`: one pass of the mail scheduler, for running from cron when DRIP_INTERVAL_SECONDS=0.
// `npm run drip -- --retry-failed` first puts failed mails back in the queue (after fixing their cause).
import { loadCourse, useCourse } from '../src/lib/server/course';
import { closeDatabase, db } from '../src/lib/server/db';
import { config } from '../src/lib/server/env';
import { listFailedMails, outboxCounts, retryFailedMails } from '../src/lib/server/mail/outbox';
import { runSenderPass, type PassReport } from '../src/lib/server/mail/sender';

const started = Date.now();
const line = (r: PassReport): string =>
	`sent ${r.sent}, skipped ${r.skipped}, waiting ${r.deferred}, retry later ${r.retried}, failed ${r.failed}`;
try {
	useCourse(loadCourse(config().courseDir));
	db();
	if (process.argv.includes('--retry-failed'))
		process.stderr.write(`drip: ${retryFailedMails()} failed mails queued again\n`);
	const report = await runSenderPass({ onProgress: (r) => process.stderr.write(`drip: ${line(r)}\n`) });
	const left = outboxCounts();
	process.stderr.write(
		`drip: done in ${Date.now() - started} ms — ${line(report)}; pending now ${left.pending}, waiting ${left.waiting}\n`
	);
	const failed = listFailedMails(20);
	if (failed.length) {
		process.stderr.write(
			`drip: ${left.failed} mails have failed for good (newest first; fix the cause, then --retry-failed):\n`
		);
		for (const f of failed) process.stderr.write(`  ${f.key} → ${f.to}: ${f.error ?? 'unknown error'}\n`);
	}
	closeDatabase();
} catch (e) {
	process.stderr.write(`drip: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
}
