// Intl formatters cost tens of microseconds to construct: pages run these on every request, so they are made once.
const bnNumber = new Intl.NumberFormat('bn-BD');
const bnAmount = new Intl.NumberFormat('bn-BD', { maximumFractionDigits: 0 });
const bnAmountWithCents = new Intl.NumberFormat('bn-BD', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const SYMBOLS: Record<string, string> = { BDT: '৳', USD: 'US$' };

// A list draws the same price and the same dates on every view: each distinct one is formatted once. The output
// depends on the inputs alone, so a kept string is never stale; the bound keeps memory flat.
const MEMO_SIZE = 2000;
const memo = new Map<string, string>();
function memoized(key: string, format: () => string): string {
	let value = memo.get(key);
	if (value === undefined) {
		if (memo.size >= MEMO_SIZE) memo.clear();
		memo.set(key, (value = format()));
	}
	return value;
}

/** A number in Bengali digits with Bengali grouping: 1500 → ১,৫০০. */
export function bnDigits(n: number): string {
	return bnNumber.format(n);
}

/** A price in the minor unit, as a Bengali reader expects it: 150000 BDT → ৳১,৫০০, 1900 USD → US$১৯. */
export function formatPrice(minor: number, currency: string): string {
	return memoized(`p ${currency} ${minor}`, () => {
		const major = minor / 100;
		const digits = (Number.isInteger(major) ? bnAmount : bnAmountWithCents).format(major);
		return `${SYMBOLS[currency] ?? `${currency} `}${digits}`;
	});
}

/** A date as "২৪ নভেম্বর" (or with the year when it is not this year's), in the course's timezone. */
export function formatDate(ms: number, timeZone: string, withYear = false): string {
	return memoized(`d ${timeZone} ${withYear} ${ms}`, () => formatDateOnce(ms, timeZone, withYear));
}

function formatDateOnce(ms: number, timeZone: string, withYear: boolean): string {
	const key = `${timeZone} ${withYear}`;
	let format = dateFormats.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat('bn-BD', {
			day: 'numeric',
			month: 'long',
			...(withYear ? { year: 'numeric' } : {}),
			timeZone
		});
		dateFormats.set(key, format);
	}
	return format.format(new Date(ms));
}

/** A time of day as "০৮:২৩" (24-hour), in the course's timezone. */
export function formatTime(ms: number, timeZone: string): string {
	let time = timeFormats.get(timeZone);
	if (!time) {
		time = new Intl.DateTimeFormat('bn-BD', { hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone });
		timeFormats.set(timeZone, time);
	}
	return time.format(new Date(ms));
}
