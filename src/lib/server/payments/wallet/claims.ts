/**
 * A buyer's claim that they paid by bKash, Nagad, Rocket or bank transfer: the form's checks, and the pending row
 * that waits for the seller, an SMS or a statement (review.ts). A TrxID is claimed once per method, by the database.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { course } from '../../course';
import { writeTransaction } from '../../db';
import { preparedFor } from '../../db/prepared';
import { walletClaims } from '../../db/schema';
import { EmailAddress } from '../../email-address';
import { queueMail } from '../../mail/outbox';
import { wakeSender } from '../../mail/sender';
import { hitRateLimits, type RateLimitResult } from '../../rate-limit';
import { MOBILE_NUMBER, WALLET_METHODS, type PaymentMethod, type WalletMethod } from './config';
import { approveFromStoredMessage } from './review';

export const METHOD_NAMES: Record<WalletMethod, string> = {
	bkash: 'বিকাশ',
	nagad: 'নগদ',
	rocket: 'রকেট',
	bank: 'ব্যাংক ট্রান্সফার'
};

/** The configured method named in a URL (/pay/bkash), or undefined. */
export function paymentMethod(name: string): PaymentMethod | undefined {
	return course().manualPayments.methods.find((m) => m.method === name);
}

export function isWalletMethod(name: string): name is WalletMethod {
	return (WALLET_METHODS as readonly string[]).includes(name);
}

/** What the buyer sends: the price in taka and the wallet's charge, in poisha. */
export function amountToSend(m: PaymentMethod): number {
	return course().manualPayments.bdtPrice! + m.fee;
}

const BENGALI_DIGITS = /[০-৯]/g;
/** Bengali digits to Latin ones: phone keyboards here offer either. */
export function latinDigits(s: string): string {
	return s.replace(BENGALI_DIGITS, (d) => String(d.charCodeAt(0) - 0x09e6));
}

/** The TrxID each method prints in its confirmation SMS (Rocket's is digits only). */
const TRX_SHAPES: Record<WalletMethod, { pattern: RegExp; example: string }> = {
	bkash: { pattern: /^[A-Z0-9]{10}$/, example: '৮N৭A৬D৫C৪B-এর মতো ১০ অক্ষর (যেমন BHK7XYZ12Q)' },
	nagad: { pattern: /^[A-Z0-9]{8}$/, example: '৮ অক্ষর (যেমন 73AB8CXW)' },
	rocket: { pattern: /^\d{8,12}$/, example: '১০টির মতো অঙ্ক (যেমন 1234567890)' },
	bank: { pattern: /^[A-Z0-9/-]{4,30}$/, example: 'ব্যাংকের রসিদের রেফারেন্স নম্বর' }
};

/** A short code for the transfer's reference field, without look-alike letters (0/O, 1/I). */
export function newReference(): string {
	const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	return Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

const fieldText = (missing: string, max: number, tooLong: string) =>
	v.pipe(v.string(missing), v.trim(), v.nonEmpty(missing), v.maxLength(max, tooLong));

function claimSchema(method: WalletMethod) {
	const trx = TRX_SHAPES[method];
	const sender =
		method === 'bank'
			? fieldText(
					'যে অ্যাকাউন্ট থেকে টাকা পাঠিয়েছেন, তার নম্বর বা নাম লিখুন।',
					100,
					'অ্যাকাউন্টের নম্বর বা নাম ১০০ অক্ষরের মধ্যে লিখুন।'
				)
			: v.pipe(
					fieldText('যে নম্বর থেকে টাকা পাঠিয়েছেন, সেটি লিখুন।', 40, 'মোবাইল নম্বরটি ঠিক মনে হচ্ছে না।'),
					v.transform((s) =>
						latinDigits(s)
							.replace(/[\s-]/g, '')
							.replace(/^\+?880/, '0')
					),
					v.regex(MOBILE_NUMBER, 'মোবাইল নম্বরটি ১১ অঙ্কের হবে, ০১ দিয়ে শুরু: যেমন ০১৭১২৩৪৫৬৭৮।')
				);
	return v.object({
		email: EmailAddress,
		name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200, 'নামটি ২০০ অক্ষরের মধ্যে লিখুন।')), ''),
		trx_id: v.pipe(
			fieldText('SMS-এ পাওয়া ট্রানজেকশন আইডি (TrxID) লিখুন।', 40, 'ট্রানজেকশন আইডিটি ঠিক মনে হচ্ছে না।'),
			v.transform((s) => latinDigits(s).replace(/\s/g, '').toUpperCase()),
			v.regex(trx.pattern, `ট্রানজেকশন আইডিটি ঠিক মনে হচ্ছে না: ${METHOD_NAMES[method]}-এর আইডি ${trx.example}।`)
		),
		sender,
		// A mangled hidden reference is not the buyer's fault: a fresh one is used instead.
		reference: v.fallback(v.pipe(v.string(), v.regex(/^[A-Z2-9]{6}$/)), () => newReference())
	});
}

export interface ClaimFields {
	email: string;
	name: string;
	trx_id: string;
	sender: string;
}

export type ClaimResult =
	| { status: 'claimed'; id: number; approved: boolean }
	| { status: 'invalid'; errors: Partial<Record<keyof ClaimFields, string>> }
	| { status: 'duplicate' }
	| { status: 'limited'; retryAt: number };

/** A buyer retrying a typo needs a few; a script trying TrxIDs gets ten an hour per address and five per email. */
export const CLAIMS_PER_ADDRESS = { limit: 10, windowMs: 60 * 60 * 1000 };
export const CLAIMS_PER_EMAIL = { limit: 5, windowMs: 60 * 60 * 1000 };

const insertClaim = preparedFor((db) =>
	db
		.insert(walletClaims)
		.values({
			method: sql.placeholder('method'),
			trxId: sql.placeholder('trxId'),
			amount: sql.placeholder('amount'),
			sender: sql.placeholder('sender'),
			email: sql.placeholder('email'),
			name: sql.placeholder('name'),
			reference: sql.placeholder('reference'),
			browserHash: sql.placeholder('browserHash'),
			source: sql.placeholder('source')
		})
		.onConflictDoNothing()
		.returning({ id: walletClaims.id })
		.prepare()
);

/** The form's reference code when it has the shape newReference() gives, so a refilled form keeps it. */
export function formReference(form: FormData): string | undefined {
	const value = form.get('reference');
	return typeof value === 'string' && /^[A-Z2-9]{6}$/.test(value) ? value : undefined;
}

/** The field values as they came, cut short, so the form refills (never a 1 MB echo). */
export function echoFields(form: FormData): ClaimFields {
	const get = (k: string) => {
		const value = form.get(k);
		return typeof value === 'string' ? value.slice(0, 200) : '';
	};
	return { email: get('email'), name: get('name'), trx_id: get('trx_id'), sender: get('sender') };
}

/**
 * Checks the form, counts it against the rate limits and records the claim, with its receipt mail, in one
 * transaction. A second claim of a TrxID for the method is refused by the unique index, however concurrent.
 */
export function submitClaim(
	m: PaymentMethod,
	form: FormData,
	address: string,
	browserHash: string | null,
	source: string,
	now = Date.now()
): ClaimResult {
	const input = Object.fromEntries(
		['email', 'name', 'trx_id', 'sender', 'reference'].map((k) => [k, form.get(k) ?? undefined])
	);
	const parsed = v.safeParse(claimSchema(m.method), input);
	if (!parsed.success) {
		const errors: Partial<Record<keyof ClaimFields, string>> = {};
		for (const issue of parsed.issues) {
			const key = issue.path?.[0]?.key as keyof ClaimFields | undefined;
			if (key && !errors[key]) errors[key] = issue.message;
		}
		return { status: 'invalid', errors };
	}
	return recordClaim(m, parsed.output, address, browserHash, source, now);
}

function recordClaim(
	m: PaymentMethod,
	fields: v.InferOutput<ReturnType<typeof claimSchema>>,
	address: string,
	browserHash: string | null,
	source: string,
	now: number
): ClaimResult {
	const limited: RateLimitResult = hitRateLimits(
		[
			{ bucket: `wallet-claim-ip:${address}`, ...CLAIMS_PER_ADDRESS },
			{ bucket: `wallet-claim-email:${fields.email}`, ...CLAIMS_PER_EMAIL }
		],
		now
	);
	if (!limited.allowed) return { status: 'limited', retryAt: limited.retryAt };
	const id = writeTransaction(() => {
		const row = insertClaim().get({
			method: m.method,
			trxId: fields.trx_id,
			amount: amountToSend(m),
			sender: fields.sender,
			email: fields.email,
			name: fields.name || null,
			reference: fields.reference,
			browserHash,
			source
		});
		if (!row) return undefined;
		queueMail({
			key: `wallet-claim:${row.id}`,
			template: 'wallet-claim',
			to: fields.email,
			params: { claimId: row.id }
		});
		return row.id;
	});
	if (id === undefined) return { status: 'duplicate' };
	// An SMS that arrived before the claim approves it now.
	const approved = approveFromStoredMessage(id);
	wakeSender();
	return { status: 'claimed', id, approved };
}

export interface ClaimView {
	id: number;
	method: WalletMethod;
	trxId: string;
	amount: number;
	sender: string;
	email: string;
	name: string | null;
	reference: string;
	status: 'pending' | 'approved' | 'rejected' | 'revoked';
	reason: string | null;
	orderId: number | null;
	decidedBy: string | null;
	decidedAt: number | null;
	createdAt: number;
	browserHash: string | null;
}

const claimById = preparedFor((db) =>
	db
		.select()
		.from(walletClaims)
		.where(eq(walletClaims.id, sql.placeholder('id')))
		.prepare()
);

export function findClaim(id: number): ClaimView | undefined {
	return claimById().get({ id });
}

const pendingOfEmail = preparedFor((db) =>
	db
		.select({ id: walletClaims.id, method: walletClaims.method, createdAt: walletClaims.createdAt })
		.from(walletClaims)
		.where(and(eq(walletClaims.email, sql.placeholder('email')), eq(walletClaims.status, 'pending')))
		.orderBy(asc(walletClaims.id))
		.prepare()
);

/** The claims of this address still being checked: /course says so while they wait. */
export function pendingClaimsOf(email: string): { id: number; method: WalletMethod; createdAt: number }[] {
	return pendingOfEmail().all({ email });
}
