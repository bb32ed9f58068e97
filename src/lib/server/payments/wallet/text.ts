// Reading money, numbers and times as Bangladeshi wallets and banks print them; shared by the SMS and statement parsers.

const BENGALI_ZERO = 0x09e6;

/** Bengali digits (০-৯) become ASCII digits; everything else is kept. */
export function asciiDigits(text: string): string {
	return text.replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - BENGALI_ZERO));
}

/**
 * "1,530.00", "Tk 1,530", "৳১,৫৩০.০০", "1,00,000.5" → poisha (153000 …); null when it is not a positive amount of
 * taka with at most two decimals. Grouping commas are dropped wherever they stand (lakh grouping puts them every two).
 */
export function parsePoisha(text: string): number | null {
	const plain = asciiDigits(text)
		.replace(/^\s*(?:tk\.?|bdt|৳|টাকা)\s*/i, '')
		.replace(/\s*(?:tk\.?|bdt|৳|টাকা)\s*$/i, '')
		.trim();
	// "1.530,00" and "1530,00" (spreadsheets in comma-decimal locales): a last comma with one or two digits after it
	// is a decimal comma, since thousands and lakh groups always end in three digits.
	const decimalComma = /^\d{1,3}(?:\.\d{3})*,\d{1,2}$|^\d+,\d{1,2}$/.test(plain);
	const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(
		decimalComma ? plain.replace(/\./g, '').replace(',', '.') : plain.replace(/,/g, '')
	);
	if (!m) return null;
	const poisha = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
	return poisha > 0 && Number.isSafeInteger(poisha) ? poisha : null;
}

/** A Bangladeshi mobile number in any usual spelling (+880…, 880…, spaces, dashes, Bengali digits) → 01XXXXXXXXX. */
export function normaliseMobile(text: string): string | null {
	const digits = asciiDigits(text).replace(/[\s\-().]/g, '');
	const m = /^(?:\+?88)?(01[3-9]\d{8})$/.exec(digits);
	return m ? m[1] : null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A wall-clock time in Dhaka (UTC+6, no daylight saving) as ISO 8601; null when the date does not exist. */
export function dhakaIso(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second = 0
): string | null {
	if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
	if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
	return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}+06:00`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "JUN" or "June" → 6; null for anything else. */
export function monthNumber(name: string): number | null {
	const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
	return i < 0 ? null : i + 1;
}

/** 12-hour clock to 24: 12 am is midnight, 12 pm is noon. */
export function hour24(hour: number, meridiem: string | undefined): number {
	if (!meridiem) return hour;
	const pm = meridiem.toLowerCase().startsWith('p');
	if (hour < 1 || hour > 12) return 99; // an impossible hour, refused by dhakaIso
	return (hour % 12) + (pm ? 12 : 0);
}

/** Two-digit years as wallets print them ("26" → 2026). */
export const fullYear = (year: number): number => (year < 100 ? 2000 + year : year);
