import { resolve } from 'node:path';
import type { Course } from './course';
import type { Config } from './env';
import { redactReplicaUrl } from './replica';

/** How payments run, in the operator's words. */
export function paymentsMode(settings: Config): string {
	if (!settings.stripeSecretKey)
		return settings.demoMode ? 'demo (DEMO_MODE=1, no real money)' : 'demo (no real money)';
	return /^(sk|rk)_live_/.test(settings.stripeSecretKey) ? 'Stripe live' : 'Stripe test';
}

/** How mail goes out, in the operator's words. */
export function mailMode(settings: Config): string {
	if (!settings.demoMail) return 'Resend';
	return settings.demoMode
		? 'demo mailbox at /dev/mailbox (each browser sees its own mails)'
		: 'demo mailbox at /dev/mailbox';
}

/** What the store is running as, printed once at start-up so the operator sees it in the log. */
export function startupSummary(settings: Config, theCourse: Course): string {
	const price = new Intl.NumberFormat('en', { style: 'currency', currency: theCourse.currency }).format(
		theCourse.price / 100
	);
	const rows = [
		['origin', settings.origin],
		['payments', paymentsMode(settings)],
		['mail', mailMode(settings)],
		['database', resolve(settings.databasePath)],
		[
			'replica',
			settings.litestreamReplicaUrl
				? `${redactReplicaUrl(settings.litestreamReplicaUrl)} (Litestream)`
				: 'none: the database has no copy off this machine (LITESTREAM_REPLICA_URL)'
		],
		['course', `${theCourse.lessons.length} lessons at ${price}`],
		['admins', String(settings.adminEmails.size)]
	];
	return ['Course store:', ...rows.map(([name, value]) => `  ${`${name}:`.padEnd(10)} ${value}`)].join('\n');
}
