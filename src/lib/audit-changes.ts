/** An audit entry's before/after (stored as JSON) as the seller reads it: the changed fields, in Bengali. */
import { bnDigits, formatPrice } from './format';

const FIELD_LABELS: Record<string, string> = {
	status: 'অবস্থা',
	enrolment: 'ভর্তি',
	reason: 'কারণ',
	allLessonsOpen: 'সব পাঠ খোলা',
	to: 'প্রাপক',
	name: 'নাম',
	email: 'ইমেইল',
	orderId: 'অর্ডার',
	amount: 'পরিমাণ',
	currency: 'মুদ্রা',
	reference: 'রেফারেন্স',
	error: 'ত্রুটি',
	template: 'মেইল',
	running: 'চলমান সিকোয়েন্স',
	suppressed: 'মেইল বন্ধের কারণ',
	fileName: 'ফাইল',
	sequence: 'সিকোয়েন্স',
	started: 'শুরু হলো',
	sequenceStartedAt: 'সিকোয়েন্স শুরু'
};

const VALUE_LABELS: Record<string, string> = {
	active: 'সক্রিয়',
	revoked: 'প্রবেশ বন্ধ',
	pending: 'অপেক্ষায়',
	failed: 'ব্যর্থ',
	confirmed: 'নিশ্চিত',
	unsubscribed: 'সদস্যপদ ছেড়েছেন'
};

export interface AuditChange {
	field: string;
	/** Null when the field was not there before (a new value only). */
	before: string | null;
	after: string | null;
}

function parsed(json: string | null): Record<string, unknown> | null {
	if (!json) return null;
	try {
		const value: unknown = JSON.parse(json);
		return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

function shown(key: string, value: unknown, entry: Record<string, unknown>): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') return value ? 'হ্যাঁ' : 'না';
	if (key === 'amount' && typeof value === 'number' && typeof entry.currency === 'string')
		return formatPrice(value, entry.currency.toUpperCase());
	if (typeof value === 'number') return bnDigits(value);
	if (typeof value === 'string') return VALUE_LABELS[value] ?? value;
	if (Array.isArray(value)) return value.length ? value.map((v) => shown(key, v, entry)).join(', ') : '—';
	return JSON.stringify(value);
}

/** The fields whose value the entry changed, or null when before/after are not JSON objects (then show them as text). */
export function auditChanges(before: string | null, after: string | null): AuditChange[] | null {
	const was = parsed(before);
	const now = parsed(after);
	if ((before && !was) || (after && !now)) return null;
	const keys = [...new Set([...Object.keys(was ?? {}), ...Object.keys(now ?? {})])];
	return keys
		.filter((k) => JSON.stringify(was?.[k]) !== JSON.stringify(now?.[k]))
		.map((k) => ({
			field: FIELD_LABELS[k] ?? k,
			before: was && k in was ? shown(k, was[k], was) : null,
			after: now && k in now ? shown(k, now[k], now) : null
		}));
}
