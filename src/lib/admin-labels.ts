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
	'change-email': 'ইমেইল বদল',
	'broadcast-create': 'ব্রডকাস্ট লেখা',
	'broadcast-test': 'ব্রডকাস্টের পরীক্ষা-মেইল',
	'broadcast-confirm': 'ব্রডকাস্ট পাঠানো',
	'broadcast-cancel': 'ব্রডকাস্ট বাতিল',
	'retry-mail': 'মেইল আবার পাঠানো',
	'stop-sequence': 'সিকোয়েন্স থামানো',
	suppress: 'মেইল বন্ধ',
	unsuppress: 'মেইল আবার চালু',
	import: 'CSV থেকে আনা',
	'start-import-sequence': 'আনা তালিকায় সিকোয়েন্স শুরু'
};

export const BROADCAST_STATUS_LABELS: Record<string, string> = {
	draft: 'খসড়া',
	scheduled: 'নির্ধারিত সময়ে যাবে',
	queuing: 'পাঠানো শুরু হয়েছে',
	queued: 'পাঠানো হয়েছে',
	cancelled: 'বাতিল'
};

export const LIST_STATUS_LABELS: Record<string, string> = {
	pending: 'নিশ্চিতের অপেক্ষায়',
	confirmed: 'নিশ্চিত',
	unsubscribed: 'বের হয়ে গেছেন',
	bounced: 'বাউন্স',
	complained: 'অভিযোগ'
};

/** Where an address joined: the signup form, or a CSV import. */
export const SOURCE_LABELS: Record<string, string> = {
	'sales-page': 'বিক্রির পাতা',
	'lesson-end': 'পাঠের শেষে',
	'signup-page': 'যোগ দেওয়ার পাতা',
	import: 'CSV থেকে আনা'
};

export const IMPORT_VERDICT_LABELS: Record<string, string> = {
	added: 'যোগ হবে',
	exists: 'আগেই আছে',
	invalid: 'ঠিকানা ভুল',
	duplicate: 'ফাইলে দুবার',
	suppressed: 'মেইল বন্ধ করা ঠিকানা'
};

export const label = (labels: Record<string, string>, value: string): string => labels[value] ?? value;

/** A Stripe payment in the seller's Stripe dashboard; test-mode payments live under /test/. */
export const stripePaymentHref = (paymentIntentId: string, live: boolean): string =>
	`https://dashboard.stripe.com/${live ? '' : 'test/'}payments/${encodeURIComponent(paymentIntentId)}`;

/** The funnel's rows for sources past the top ones summed, and for rows older than sources (migration 0018). */
export const OTHER_SOURCES = '(others)';
export const UNKNOWN_SOURCE = '(unknown)';

/** Entry sources in the seller's words; any other is shown as it came (a utm_source, a referring site's host). */
export const ENTRY_SOURCE_LABELS: Record<string, string> = {
	direct: 'সরাসরি',
	[OTHER_SOURCES]: 'অন্য সব উৎস',
	[UNKNOWN_SOURCE]: 'অজানা (আগের বা হাতে যোগ করা)'
};
