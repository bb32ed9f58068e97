/** The desk's words for stored values (statuses, methods, audit actions), shown in Bengali. */
export const METHOD_LABELS: Record<string, string> = {
	stripe: 'Stripe',
	bkash: 'বিকাশ',
	nagad: 'নগদ',
	rocket: 'রকেট',
	bank: 'ব্যাংক',
	manual: 'হাতে ভর্তি'
};

export const ORDER_STATUS_LABELS: Record<string, string> = {
	paid: 'পরিশোধিত',
	refunded: 'ফেরত দেওয়া',
	disputed: 'বিরোধ চলছে',
	revoked: 'প্রবেশ বন্ধ'
};

export const MAIL_STATUS_LABELS: Record<string, string> = {
	pending: 'পাঠানোর অপেক্ষায়',
	waiting: 'শর্তের অপেক্ষায়',
	sent: 'পাঠানো হয়েছে',
	failed: 'ব্যর্থ',
	skipped: 'বাদ পড়েছে',
	stopped: 'থামানো'
};

export const AUDIT_ACTION_LABELS: Record<string, string> = {
	enrol: 'হাতে ভর্তি',
	revoke: 'প্রবেশ বন্ধ',
	restore: 'প্রবেশ ফেরত',
	'open-all-lessons': 'সব পাঠ খোলা',
	'follow-schedule': 'সময়সূচিতে ফেরানো',
	'send-sign-in-link': 'সাইন-ইন লিংক পাঠানো',
	'change-name': 'নাম বদল',
	'change-email': 'ইমেইল বদল'
};

export const label = (labels: Record<string, string>, value: string): string => labels[value] ?? value;

/** A Stripe payment in the seller's Stripe dashboard; test-mode payments live under /test/. */
export const stripePaymentHref = (paymentIntentId: string, live: boolean): string =>
	`https://dashboard.stripe.com/${live ? '' : 'test/'}payments/${encodeURIComponent(paymentIntentId)}`;
