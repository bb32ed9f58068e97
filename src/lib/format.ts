const bnNumber = new Intl.NumberFormat('bn-BD');
const SYMBOLS: Record<string, string> = { BDT: '৳', USD: 'US$' };

/** A number in Bengali digits with Bengali grouping: 1500 → ১,৫০০. */
export function bnDigits(n: number): string {
	return bnNumber.format(n);
}

/** A price in the minor unit, as a Bengali reader expects it: 150000 BDT → ৳১,৫০০, 1900 USD → US$১৯. */
export function formatPrice(minor: number, currency: string): string {
	const major = minor / 100;
	const digits = new Intl.NumberFormat('bn-BD', {
		minimumFractionDigits: Number.isInteger(major) ? 0 : 2,
		maximumFractionDigits: 2
	}).format(major);
	return `${SYMBOLS[currency] ?? `${currency} `}${digits}`;
}

/** A date as "২৪ নভেম্বর" (or with the year when it is not this year's), in the course's timezone. */
export function formatDate(ms: number, timeZone: string, withYear = false): string {
	return new Intl.DateTimeFormat('bn-BD', {
		day: 'numeric',
		month: 'long',
		...(withYear ? { year: 'numeric' } : {}),
		timeZone
	}).format(new Date(ms));
}

/** A time of day as "০৮:২৩" (24-hour), in the course's timezone. */
export function formatTime(ms: number, timeZone: string): string {
	const time = new Intl.DateTimeFormat('bn-BD', { hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZone });
	return time.format(new Date(ms));
}
