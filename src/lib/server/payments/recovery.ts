/**
 * A Stripe checkout that expired unpaid: with the buyer's consent to promotions (collected by Checkout) or to the
 * list, one reminder with Stripe's recovery link (course/emails/recovery/stripe.md), never after a purchase.
 */
import * as v from 'valibot';
import { hasEnrolled } from '../access';
import { course } from '../course';
import { writeTransaction } from '../db';
import { EmailAddress } from '../email-address';
import { composeRecoveryMail, queueRecoveryMail } from '../mail/recovery-mail';
import { findSubscriber } from '../mail/subscribers';
import type { Template } from '../mail/templates';
import { CheckoutSessionId } from './checkout';
import { recordStripeEvent, type StripeEventRef } from './stripe-events';

/** The parts of an expired Checkout Session we read (https://docs.stripe.com/payments/checkout/abandoned-carts). */
const ExpiredSession = v.object({
	id: CheckoutSessionId,
	metadata: v.nullish(v.record(v.string(), v.string())),
	customer_details: v.nullish(v.object({ email: v.nullish(v.string()), name: v.nullish(v.string()) })),
	customer_email: v.nullish(v.string()),
	consent: v.nullish(v.object({ promotions: v.nullish(v.string()) })),
	after_expiration: v.nullish(v.object({ recovery: v.nullish(v.object({ url: v.nullish(v.string()) })) }))
});

/** refused: not a session at all; recorded: the event is logged in the reminder's own transaction. */
export interface ExpiredOutcome {
	refused: boolean;
	note: string;
	recorded: boolean;
}

const done = (note: string): ExpiredOutcome => ({ refused: false, note, recorded: false });

/**
 * checkout.session.expired: queues the reminder in the transaction that logs the event, so three deliveries of
 * the event (or of two events of the session) queue it once.
 */
export function remindExpiredSession(object: unknown, event: StripeEventRef): ExpiredOutcome {
	const parsed = v.safeParse(ExpiredSession, object);
	if (!parsed.success) return { refused: true, note: 'the event carries no checkout session', recorded: false };
	const s = parsed.output;
	if (s.metadata?.course_id !== undefined && s.metadata.course_id !== course().id) return done('another product');
	const url = s.after_expiration?.recovery?.url;
	// A link we cannot read is no reason for Stripe to send the event again: there is just no reminder.
	if (!url || !/^https?:\/\//.test(url) || !URL.canParse(url)) return done('no recovery link');
	const email = v.safeParse(EmailAddress, s.customer_details?.email ?? s.customer_email ?? '');
	if (!email.success) return done('no buyer email');
	const to = email.output;
	const consent =
		s.consent?.promotions === 'opt_in' ? 'opt_in' : findSubscriber(to)?.status === 'confirmed' ? 'subscriber' : null;
	if (!consent) return done('no consent to a reminder');
	return writeTransaction(() => {
		const result = queueRecoveryMail('stripe', `recovery:stripe:${s.id}`, to, {
			url,
			name: s.customer_details?.name ?? null,
			consent
		});
		recordStripeEvent().run({ id: event.id, type: event.type });
		return { refused: false, note: `reminder: ${result}`, recorded: true };
	});
}

/** The reminder when it is due: skipped if the buyer has bought since, by any way of paying. */
export const stripeReminder: Template = ({ to, params }) => {
	const mail = course().recovery.stripe;
	if (!mail) return { skip: 'course/emails/recovery/stripe.md is gone' };
	if (hasEnrolled(to)) return { skip: 'bought the course' };
	if (typeof params.url !== 'string') return { skip: 'no recovery link' };
	const { title } = course();
	return composeRecoveryMail(mail, to, {
		name: typeof params.name === 'string' ? params.name : null,
		vars: { recovery_url: params.url },
		url: params.url,
		reason:
			params.consent === 'opt_in'
				? `আপনি এই ইমেইল পাচ্ছেন কারণ “${title}” কেনার পাতায় আমাদের ইমেইল পেতে সম্মতি দিয়েছিলেন, আর কেনাটা শেষ হয়নি।`
				: `আপনি এই ইমেইল পাচ্ছেন কারণ আপনি “${title}”-এর ইমেইল তালিকায় আছেন, আর কোর্সটি কেনা শুরু করে শেষ করেননি।`
	});
};
