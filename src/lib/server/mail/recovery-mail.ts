/**
 * The one reminder a buyer who did not finish paying may get (course/emails/recovery/): queued by the Stripe webhook
 * or the wallet page with the delay of its file, and composed when due, so a buyer who has paid since gets nothing.
 */
import { and, eq, gt, like, sql } from 'drizzle-orm';
import { hasEnrolled } from '../access';
import { displayPrice } from '../catalogue';
import { course } from '../course';
import type { RecoveryKind, RecoveryMail } from '../course/recovery';
import { preparedFor } from '../db/prepared';
import { outbox } from '../db/schema';
import { renderMarkdown } from '../markdown';
import { oneLine } from './layout';
import { firstLessonUrl, marketingParts, siteUrl } from './links';
import { queueMail } from './outbox';
import { markdownToText } from './sequence-mail';
import { compose, type ComposedMail } from './templates';

/** One reminder per address in this time, however many checkouts it leaves: a reminder, not a campaign. */
export const RECOVERY_QUIET_MS = 30 * 24 * 60 * 60 * 1000;

const p = sql.placeholder;

const recentReminder = preparedFor((db) =>
	db
		.select({ id: outbox.id })
		.from(outbox)
		.where(and(eq(outbox.toEmail, p('to')), like(outbox.template, 'recovery/%'), gt(outbox.createdAt, p('since'))))
		.limit(1)
		.prepare()
);

/**
 * Queues the reminder of this kind after its file's delay, unless there is no such file, the address has bought,
 * or it had a reminder lately. Call inside the transaction of the event; the caller has checked consent.
 */
export function queueRecoveryMail(
	kind: RecoveryKind,
	key: string,
	to: string,
	params: Record<string, unknown>,
	now = Date.now()
): 'queued' | 'no file' | 'bought' | 'reminded lately' {
	const mail = course().recovery[kind];
	if (!mail) return 'no file';
	if (hasEnrolled(to)) return 'bought';
	if (recentReminder().get({ to, since: now - RECOVERY_QUIET_MS })) return 'reminded lately';
	queueMail({ key, template: `recovery/${kind}`, to, params, marketing: true, dueAt: now + mail.delayMs });
	return 'queued';
}

function fill(source: string, vars: Record<string, string>): string {
	return source.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (all, name: string) => vars[name] ?? all);
}

/** The reminder as the buyer reads it: their name, the file's text, the button back to the payment, and why it came. */
export function composeRecoveryMail(
	mail: RecoveryMail,
	to: string,
	{ name, vars, url, reason }: { name: string | null; vars: Record<string, string>; url: string; reason: string }
): ComposedMail {
	const all = {
		course_title: course().title,
		course_url: siteUrl('/'),
		first_lesson_url: firstLessonUrl(),
		price: displayPrice(),
		...vars
	};
	const markdown = fill(mail.markdown, all);
	const { headers, unsubscribe, footer } = marketingParts(to);
	return compose(
		fill(mail.subject, all),
		{
			paragraphs: [name?.trim() ? `প্রিয় ${oneLine(name)},` : 'প্রিয় পাঠক,'],
			html: renderMarkdown(markdown),
			htmlText: markdownToText(markdown),
			button: { label: oneLine(fill(mail.button, all)), url },
			// The list's reason line does not fit: this reader is mailed for the purchase they started.
			footer: [reason, ...footer.slice(1)],
			footerLinks: [{ label: 'এমন ইমেইল আর চাই না (আনসাবস্ক্রাইব)', url: unsubscribe }]
		},
		headers
	);
}
