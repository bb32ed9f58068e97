/**
 * The reminders for buyers who did not finish paying: course/emails/recovery/stripe.md (a Stripe checkout that
 * expired) and wallet.md (a /pay/<method> form left without a TrxID). Each is one mail with front matter
 * (subject, delay, button) and a Markdown body; a missing file turns that reminder off.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { CourseProblem } from './index';
import { delay, readMailFile, subject, type MailKind } from './mail-file';
import { required } from './schema';

export const RECOVERY_KINDS = ['stripe', 'wallet'] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

export interface RecoveryMail {
	kind: RecoveryKind;
	file: string;
	subject: string;
	/** How long after the checkout expired (Stripe) or the form was left (wallet) the reminder goes. */
	delayMs: number;
	/** The label of the button back to the payment; the link is the kind's own (recovery_url or pay_url). */
	button: string;
	/** The body, Markdown with {{placeholders}}. */
	markdown: string;
}

export type RecoveryMails = Partial<Record<RecoveryKind, RecoveryMail>>;

const COMMON = ['course_title', 'course_url', 'first_lesson_url', 'price'];
/** What each reminder may name besides the course: the way back to its own payment. */
export const RECOVERY_PLACEHOLDERS: Record<RecoveryKind, string[]> = {
	stripe: [...COMMON, 'recovery_url'],
	wallet: [...COMMON, 'method_name', 'amount', 'reference', 'pay_url', 'payment_details']
};
const DEFAULT_BUTTON: Record<RecoveryKind, string> = {
	stripe: 'কেনা শেষ করুন',
	wallet: 'পেমেন্টের পাতা খুলুন'
};
const BUTTON_PROBLEM = 'button is the label of the button back to the payment, e.g. button: "কেনা শেষ করুন"';

function recoveryKind(kind: RecoveryKind) {
	const known = RECOVERY_PLACEHOLDERS[kind];
	const schema = v.object({
		subject,
		delay: required(delay('1h, 1d or 30m'), 'missing delay: e.g. delay: 1h (hours), 1d (days) or 30m (minutes)'),
		button: v.optional(
			v.pipe(v.string(BUTTON_PROBLEM), v.trim(), v.nonEmpty(BUTTON_PROBLEM)),
			DEFAULT_BUTTON[kind]
		)
	});
	const mailKind: MailKind<typeof schema> = {
		schema,
		keys: 'subject: ..., delay: ...',
		placeholderProblem: (name) =>
			known.includes(name)
				? undefined
				: `unknown placeholder {{${name}}} in the ${kind} reminder: use ${known.map((p) => `{{${p}}}`).join(', ')}`
	};
	return mailKind;
}

function readRecoveryMail(kind: RecoveryKind, file: string, problems: CourseProblem[]): RecoveryMail | undefined {
	const before = problems.length;
	const mail = readMailFile(file, recoveryKind(kind), problems);
	const { subject, delay, button } = mail?.value ?? {};
	if (!mail || problems.length > before || !subject || delay === undefined || !button) return undefined;
	return { kind, file, subject, delayMs: delay, button, markdown: mail.markdown };
}

/** Reads course/emails/recovery/; a missing folder or file is no reminder of that kind. */
export function readRecoveryMails(dir: string, problems: CourseProblem[]): RecoveryMails {
	const mails: RecoveryMails = {};
	if (!existsSync(dir)) return mails;
	for (const name of readdirSync(dir).sort()) {
		const file = join(dir, name);
		if (!name.endsWith('.md')) continue;
		const kind = name.slice(0, -3);
		if (!(RECOVERY_KINDS as readonly string[]).includes(kind)) {
			problems.push({
				file,
				line: 1,
				message: `a reminder is stripe.md (an expired Stripe checkout) or wallet.md (a wallet payment left unfinished)`
			});
			continue;
		}
		const mail = readRecoveryMail(kind as RecoveryKind, file, problems);
		if (mail) mails[kind as RecoveryKind] = mail;
	}
	return mails;
}
