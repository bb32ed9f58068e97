// `npm run drip`: one pass of the mail scheduler, for running from cron when DRIP_INTERVAL_SECONDS=0.
import { loadCourse, useCourse } from '../src/lib/server/course';
import { closeDatabase, db } from '../src/lib/server/db';
import { config } from '../src/lib/server/env';
import { outboxCounts } from '../src/lib/server/mail/outbox';
import { runSenderPass } from '../src/lib/server/mail/sender';

const started = Date.now();
try {
	useCourse(loadCourse(config().courseDir));
	db();
	const report = await runSenderPass((r) =>
		process.stderr.write(`drip: sent ${r.sent}, skipped ${r.skipped}, retry later ${r.retried}, failed ${r.failed}\n`)
	);
	const left = outboxCounts();
	process.stderr.write(
		`drip: done in ${Date.now() - started} ms — sent ${report.sent}, skipped ${report.skipped}, ` +
			`retry later ${report.retried}, failed ${report.failed}; pending now ${left.pending ?? 0}\n`
	);
	closeDatabase();
} catch (e) {
	process.stderr.write(`drip: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
}
