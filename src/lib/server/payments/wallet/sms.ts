// The wallets' own "money received" SMS, forwarded by the seller's phone: what they say, and whether the forward is
// genuine. Hand-written because no library knows these formats; the samples they were learnt from are in
// tests/payments/wallet-sms-samples.ts with where each comes from.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { asciiDigits, dhakaIso, fullYear, hour24, monthNumber, normaliseMobile, parsePoisha } from './text';

export { parseStatementCsv, type StatementRow } from './statement';

export interface WalletSms {
	method: 'bkash' | 'nagad' | 'rocket';
	/** Minor units (poisha), a positive integer: Tk 1,530.00 → 153000. */
	amount: number;
	/**
	 * The sender's number as 01XXXXXXXXX. Rocket prints the sender's account masked ("A/C:***515"); then this is that
	 * mask as printed, and only its last digits can be compared.
	 */
	from: string;
	/** Upper-case. */
	trxId: string;
	/** The time the message states, as ISO 8601 in Dhaka time (+06:00); null when it states none or an impossible one. */
	sentAt: string | null;
}

type WalletMethod = WalletSms['method'];

// Sender ids as phones show them, compared without case, spaces or punctuation. 16216 is DBBL's short code.
const SENDERS: Record<string, WalletMethod> = {
	bkash: 'bkash',
	nagad: 'nagad',
	'16216': 'rocket',
	dbbl: 'rocket',
	rocket: 'rocket',
	dutchb: 'rocket'
};

function walletOfSender(sender: string): WalletMethod | null {
	return SENDERS[sender.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? null;
}

const AMOUNT = String.raw`\d[\d,]*(?:\.\d{1,2})?`;
const MOBILE = String.raw`(?:\+?88)?01\d{9}`;
// Rocket accounts are the mobile number and a check digit, usually masked in the message ("***515").
const ROCKET_ACCOUNT = String.raw`\*+\d{2,6}|(?:\+?88)?01\d{9,10}`;
// A line start: wallets prefix some messages with a promotion line, never with money that went out.
const LINE = '(?:^|\n)';

interface Pattern {
	/** The opening that makes a message a received-money one, with the groups amount and from (or amount2, from2). */
	opening: RegExp;
	/** The transaction id and the time after it; the last match wins, since the sender's free "Ref" text comes first. */
	closing: RegExp;
	time: (m: RegExpExecArray) => string | null;
}

const BKASH_CLOSING = /trx ?id ?:? ?([a-z0-9]{6,20})(?: at (\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}))?/gi;
const dayMonthYear = (m: RegExpExecArray): string | null =>
	m[2] === undefined ? null : dhakaIso(Number(m[4]), Number(m[3]), Number(m[2]), Number(m[5]), Number(m[6]));

const PATTERNS: Record<WalletMethod, Pattern[]> = {
	bkash: [
		{
			// Send Money received, and Payment received on a merchant account ("You have received payment Tk …").
			opening: new RegExp(
				`${LINE}you have received (?:payment )?tk ?(?<amount>${AMOUNT}) from (?<from>${MOBILE})\\b`,
				'i'
			),
			closing: BKASH_CLOSING,
			time: dayMonthYear
		},
		{
			// Cash In at an agent.
			opening: new RegExp(`${LINE}cash in tk ?(?<amount>${AMOUNT}) from (?<from>${MOBILE}) successful`, 'i'),
			closing: BKASH_CLOSING,
			time: dayMonthYear
		}
	],
	nagad: [
		{
			// "Money Received." (Send Money) and "Cash In Received." (from an Uddokta, i.e. an agent), a field a line.
			opening: new RegExp(
				`${LINE}(?:money|cash ?in) received\\.?\\s*(?:amount|amt) ?: ?tk ?(?<amount>${AMOUNT})\\s*(?:sender|uddokta) ?: ?(?<from>${MOBILE})\\b`,
				'i'
			),
			closing:
				/t(?:xn|rx) ?id ?: ?([a-z0-9]{6,20})(?:\s*bal(?:ance)? ?: ?(?:tk ?)?[\d,]+(?:\.\d+)?)?(?:\s*(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}))?/gi,
			time: dayMonthYear
		}
	],
	rocket: [
		{
			// "Tk99.00 received from A/C:***515 Fee:Tk0, …" (Send Money) and "Cash-In from A/C: ***332 Tk26,900.00 …".
			opening: new RegExp(
				`${LINE}(?:tk ?(?<amount>${AMOUNT}) received from a/c ?: ?(?<from>${ROCKET_ACCOUNT})|cash-? ?in from a/c ?: ?(?<from2>${ROCKET_ACCOUNT}) ?tk ?(?<amount2>${AMOUNT}))`,
				'i'
			),
			// Digits only: the real messages run "TxnId:5762726721Date:…" together.
			closing:
				/txn ?id ?: ?(\d{6,20})\.? ?(?:date ?: ?(\d{1,2})-([a-z]{3})-(\d{2,4}) (\d{1,2}):(\d{2}):(\d{2}) ?([ap]m))?/gi,
			time: (m) => {
				const month = m[3] === undefined ? null : monthNumber(m[3]);
				if (month === null) return null;
				const hour = hour24(Number(m[5]), m[8]);
				return dhakaIso(fullYear(Number(m[4])), month, Number(m[2]), hour, Number(m[6]), Number(m[7]));
			}
		}
	]
};

/** One space for any run of spaces (odd spacing, no-break spaces, zero-width marks), newlines kept; Bengali digits to ASCII. */
function tidy(text: string): string {
	return asciiDigits(text)
		.replace(/\r\n?/g, '\n')
		.replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
		.replace(/[^\S\n]+/g, ' ')
		.replace(/ ?\n ?/g, '\n')
		.trim();
}

/** Rocket appends a check digit to the mobile number (12 digits); the mobile number is the first eleven. */
function senderOf(method: WalletMethod, printed: string): string | null {
	if (printed.startsWith('*')) return method === 'rocket' ? printed : null;
	const digits = printed.replace(/^\+?88/, '');
	return normaliseMobile(method === 'rocket' && digits.length === 12 ? digits.slice(0, 11) : digits);
}

function lastMatch(re: RegExp, text: string): RegExpExecArray | null {
	let last: RegExpExecArray | null = null;
	for (const m of text.matchAll(re)) last = m;
	return last;
}

/**
 * A received-money SMS from bKash, Nagad or Rocket, read; null for anything else: money that went out, OTPs,
 * promotions, a message whose sender is not the wallet it claims to be from, a deposit from a bank (no sender number),
 * or a malformed one.
 */
export function parseWalletSms(sender: string, text: string): WalletSms | null {
	const method = walletOfSender(sender);
	if (method === null || text.length > 2000) return null;
	const body = tidy(text);
	for (const pattern of PATTERNS[method]) {
		const open = pattern.opening.exec(body);
		if (!open?.groups) continue;
		const amount = parsePoisha(open.groups.amount ?? open.groups.amount2 ?? '');
		const from = senderOf(method, open.groups.from ?? open.groups.from2 ?? '');
		const close = lastMatch(pattern.closing, body.slice(open.index + open[0].length));
		if (amount === null || from === null || close === null) return null;
		return { method, amount, from, trxId: close[1].toUpperCase(), sentAt: pattern.time(close) };
	}
	return null;
}

/** The forwarder may be this far off in either direction before its message is refused as stale or replayed. */
const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * `X-Timestamp: <unix seconds>` and `X-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>`,
 * checked in constant time; false for anything missing, malformed, wrongly signed or more than five minutes off.
 */
export function verifySmsSignature(
	secret: string,
	timestampHeader: string | null,
	signatureHeader: string | null,
	rawBody: string,
	nowSeconds: number
): boolean {
	if (secret === '' || timestampHeader === null || signatureHeader === null) return false;
	const timestamp = timestampHeader.trim();
	if (!/^\d{1,12}$/.test(timestamp)) return false;
	if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
	const signature = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader.trim());
	if (!signature) return false;
	const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
	return timingSafeEqual(Buffer.from(signature[1], 'hex'), expected);
}
