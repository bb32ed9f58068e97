/**
 * A wallet payment left unfinished: the /pay/<method> form sent with an email but no claim recorded (no TrxID yet).
 * A buyer who ticked "remind me" or is on the list gets one reminder with the payment details
 * (course/emails/recovery/wallet.md), skipped if they have claimed or bought by then.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { hasEnrolled } from '../../access';
import { course } from '../../course';
import { writeTransaction } from '../../db';
import { preparedFor } from '../../db/prepared';
import { walletClaims, walletStarts } from '../../db/schema';
import { EmailAddress } from '../../email-address';
import { siteUrl } from '../../mail/links';
import { composeRecoveryMail, queueRecoveryMail } from '../../mail/recovery-mail';
import { findSubscriber } from '../../mail/subscribers';
import type { Template } from '../../mail/templates';
import { hitRateLimits } from '../../rate-limit';
import { formReference, METHOD_NAMES, newReference, paymentMethod } from './claims';
import type { PaymentMethod } from './config';
import { payPage } from './pay-page';

/** The form's box: unticked unless the buyer ticks it. */
export const REMIND_FIELD = 'remind';
/** A buyer fixing a typo sends the form a few times; a script sending addresses gets twenty an hour. */
export const STARTS_PER_ADDRESS = { limit: 20, windowMs: 60 * 60 * 1000 };

const p = sql.placeholder;

const insertStart = preparedFor((db) =>
	db
		.insert(walletStarts)
		.values({
			method: p('method'),
			email: p('email'),
			name: p('name'),
			reference: p('reference'),
			remindConsent: p('remindConsent')
		})
		.returning({ id: walletStarts.id })
		.prepare()
);

const startById = preparedFor((db) =>
	db
		.select()
		.from(walletStarts)
		.where(eq(walletStarts.id, p('id')))
		.prepare()
);

const claimOfEmail = preparedFor((db) =>
	db
		.select({ id: walletClaims.id })
		.from(walletClaims)
		.where(and(eq(walletClaims.email, p('email')), ne(walletClaims.status, 'rejected')))
		.limit(1)
		.prepare()
);

/**
 * The form came with a usable email but no claim was recorded: remembers the start and, with the buyer's tick or
 * a confirmed subscription, queues the one reminder. Returns whether a reminder is queued.
 */
export function rememberUnfinishedClaim(m: PaymentMethod, form: FormData, address: string, now = Date.now()): boolean {
	const email = v.safeParse(EmailAddress, form.get('email') ?? '');
	if (!email.success || !course().recovery.wallet) return false;
	const to = email.output;
	const remind = form.get(REMIND_FIELD) === 'yes';
	if (!remind && findSubscriber(to)?.status !== 'confirmed') return false;
	if (!hitRateLimits([{ bucket: `wallet-start-ip:${address}`, ...STARTS_PER_ADDRESS }], now).allowed) return false;
	const name = form.get('name');
	return writeTransaction(() => {
		const start = insertStart().get({
			method: m.method,
			email: to,
			name: typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : null,
			reference: formReference(form) ?? newReference(),
			remindConsent: remind ? 1 : 0
		});
		if (!start) throw new Error(`the unfinished payment of ${to} was not stored`);
		return queueRecoveryMail('wallet', `recovery:wallet:${start.id}`, to, { startId: start.id }, now) === 'queued';
	});
}

/** Markdown of what to send where, as the page showed it, with the same reference code. */
function paymentDetails(m: PaymentMethod, reference: string): string {
	const page = payPage(m, reference);
	const lines = [`- পাঠাতে হবে: **${page.amount}**`];
	if (page.number)
		lines.push(`- ${page.action ?? 'পাঠান'} করুন এই নম্বরে: **${page.number.bengali}** (অ্যাপে: ${page.number.latin})`);
	if (page.bank) {
		const b = page.bank;
		lines.push(`- ব্যাংক: ${b.bankName}`, `- অ্যাকাউন্টের নাম: ${b.accountName}`, `- অ্যাকাউন্ট নম্বর: ${b.accountNumber}`);
		if (b.branch) lines.push(`- শাখা: ${b.branch}`);
		if (b.routingNumber) lines.push(`- রাউটিং নম্বর: ${b.routingNumber}`);
	}
	lines.push(`- রেফারেন্স কোড: **${reference}**`, '');
	page.steps.forEach((step, i) => lines.push(`${i + 1}. ${step}`));
	return lines.join('\n');
}

/** The reminder when it is due: skipped once the buyer has claimed (sent the TrxID) or bought. */
export const walletReminder: Template = ({ to, params }) => {
	const mail = course().recovery.wallet;
	if (!mail) return { skip: 'course/emails/recovery/wallet.md is gone' };
	const start = typeof params.startId === 'number' ? startById().get({ id: params.startId }) : undefined;
	if (!start) return { skip: 'the unfinished payment is gone' };
	if (hasEnrolled(to)) return { skip: 'bought the course' };
	if (claimOfEmail().get({ email: to })) return { skip: 'the payment was claimed' };
	if (!start.remindConsent && findSubscriber(to)?.status !== 'confirmed') return { skip: 'no consent to a reminder' };
	const m = paymentMethod(start.method);
	if (!m) return { skip: `${start.method} is no longer offered` };
	const payUrl = siteUrl(`/pay/${m.method}?ref=${start.reference}`);
	const page = payPage(m, start.reference);
	return composeRecoveryMail(mail, to, {
		name: start.name,
		vars: {
			method_name: METHOD_NAMES[m.method],
			amount: page.amount,
			reference: start.reference,
			pay_url: payUrl,
			payment_details: paymentDetails(m, start.reference)
		},
		url: payUrl,
		reason: start.remindConsent
			? `আপনি এই ইমেইল পাচ্ছেন কারণ ${METHOD_NAMES[m.method]}-এ পেমেন্টের পাতায় আপনি একবার মনে করিয়ে দিতে বলেছিলেন।`
			: `আপনি এই ইমেইল পাচ্ছেন কারণ আপনি “${course().title}”-এর ইমেইল তালিকায় আছেন, আর ${METHOD_NAMES[m.method]}-এ কেনা শুরু করে শেষ করেননি।`
	});
};
