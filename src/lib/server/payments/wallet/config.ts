/**
 * course.yaml's `manual_payments` (bKash, Nagad, Rocket, bank transfer) and `bdt_price`: read and checked with the
 * rest of course.yaml (course.ts calls readManualPayments), so a mistake shows as file:line.
 */
import * as v from 'valibot';
import { isSeq, type Document, type Node } from 'yaml';

export const WALLET_METHODS = ['bkash', 'nagad', 'rocket', 'bank'] as const;
export type WalletMethod = (typeof WALLET_METHODS)[number];
export const ACCOUNT_TYPES = ['personal', 'agent', 'merchant'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The keys of course.yaml that this module reads, for the loader's check of misspelt keys. */
export const WALLET_KEYS = ['manual_payments', 'bdt_price'] as const;

/** An 11-digit Bangladeshi mobile number as the operators issue them: 013–019. */
export const MOBILE_NUMBER = /^01[3-9]\d{8}$/;

export interface BankAccount {
	bankName: string;
	accountName: string;
	accountNumber: string;
	branch: string | undefined;
	routingNumber: string | undefined;
}

export interface PaymentMethod {
	method: WalletMethod;
	/** The wallet number (01XXXXXXXXX); undefined for a bank. */
	number: string | undefined;
	bank: BankAccount | undefined;
	/** What the buyer does: Send Money (personal), Cash Out (agent), Payment (merchant). Undefined for a bank. */
	type: AccountType | undefined;
	/** What the buyer adds for the wallet's charge, in poisha. */
	fee: number;
	instructions: string | undefined;
	/** Where the method starts in course.yaml, for problems found after reading (example numbers). */
	line: number;
}

export interface ManualPayments {
	methods: PaymentMethod[];
	/** The price in taka (poisha): the course price for a BDT course, bdt_price for a USD one. */
	bdtPrice: number | undefined;
}

type Report = (offset: number | undefined, message: string) => void;

const text = (max: number) => v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(max));
const poisha = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100_000_000));

const MethodEntry = v.variant('method', [
	v.strictObject({
		method: v.picklist(['bkash', 'nagad', 'rocket']),
		number: v.pipe(
			v.union([v.string(), v.number()]),
			v.transform((n) => String(n).replace(/[\s-]/g, '')),
			v.regex(MOBILE_NUMBER, 'number must be an 11-digit mobile number such as "01712345678" (in quotes)')
		),
		type: v.picklist(ACCOUNT_TYPES, 'type must be personal, agent or merchant'),
		fee: v.optional(poisha, 0),
		instructions: v.optional(text(2000))
	}),
	v.strictObject({
		method: v.literal('bank'),
		bank_name: text(200),
		account_name: text(200),
		account_number: v.pipe(v.union([v.string(), v.number()]), v.transform(String), text(40)),
		branch: v.optional(text(200)),
		routing_number: v.optional(v.pipe(v.union([v.string(), v.number()]), v.transform(String), text(20))),
		fee: v.optional(poisha, 0),
		instructions: v.optional(text(2000))
	})
]);

function issueMessage(issue: v.BaseIssue<unknown>): string {
	const path = issue.path?.map((p) => String(p.key)).join('.');
	return path ? `manual_payments: ${path}: ${issue.message}` : `manual_payments: ${issue.message}`;
}

/** Reads manual_payments and bdt_price; price and currency are the course's (undefined when they are broken). */
export function readManualPayments(
	doc: Document,
	lineOf: (offset: number | undefined) => number,
	report: Report,
	course: { price?: number; currency?: string }
): ManualPayments {
	const methods: PaymentMethod[] = [];
	const bdtNode = doc.get('bdt_price', true) as Node | undefined;
	const bdtValue: unknown = bdtNode ? (bdtNode.toJSON() as unknown) : undefined;
	let bdtPrice = course.currency === 'BDT' ? course.price : undefined;
	if (bdtValue !== undefined && bdtValue !== null) {
		const parsed = v.safeParse(v.pipe(poisha, v.minValue(1)), bdtValue);
		if (!parsed.success)
			report(bdtNode?.range?.[0], 'bdt_price must be a positive whole number in poisha (150000 = ৳১,৫০০)');
		else if (course.currency === 'BDT') report(bdtNode?.range?.[0], 'bdt_price is only for a USD course: remove it');
		else bdtPrice = parsed.output;
	}

	const list = doc.get('manual_payments', true) as Node | undefined;
	if (list === undefined || list.toJSON() === null) return { methods, bdtPrice };
	if (!isSeq(list)) {
		report(list.range?.[0], 'manual_payments must be a list of methods (method: bkash, number: "01…", type: personal)');
		return { methods, bdtPrice };
	}
	const seen = new Set<string>();
	for (const item of list.items) {
		const offset = (item as Node).range?.[0];
		const parsed = v.safeParse(MethodEntry, (item as Node).toJSON());
		if (!parsed.success) {
			for (const issue of parsed.issues) report(offset, issueMessage(issue));
			continue;
		}
		const e = parsed.output;
		if (seen.has(e.method)) report(offset, `manual_payments: ${e.method} is listed twice`);
		seen.add(e.method);
		methods.push({
			method: e.method,
			number: 'number' in e ? e.number : undefined,
			type: 'type' in e ? e.type : undefined,
			bank:
				e.method === 'bank'
					? {
							bankName: e.bank_name,
							accountName: e.account_name,
							accountNumber: e.account_number,
							branch: e.branch,
							routingNumber: e.routing_number
						}
					: undefined,
			fee: e.fee,
			instructions: e.instructions,
			line: lineOf(offset)
		});
	}
	if (methods.length && bdtPrice === undefined && course.currency === 'USD')
		report(list.range?.[0], 'manual_payments need bdt_price (the price in poisha) when the course is priced in USD');
	return { methods, bdtPrice };
}

/** Numbers that are clearly examples: a run of one digit, or 12345678 after the operator code. */
export function isExampleNumber(value: string): boolean {
	const digits = value.replace(/\D/g, '');
	const tail = digits.slice(-8);
	return /^(\d)\1*$/.test(tail) || tail === '12345678' || /^0+$/.test(digits);
}

/**
 * Example numbers are fine on a loopback store (a try-out) and refused elsewhere: buyers would send money
 * to a stranger. course:check reports these with the other problems.
 */
export function exampleNumberProblems(
	payments: ManualPayments,
	loopbackOrigin: boolean
): { line: number; message: string }[] {
	if (loopbackOrigin) return [];
	return payments.methods
		.filter((m) => isExampleNumber(m.number ?? m.bank?.accountNumber ?? ''))
		.map((m) => ({
			line: m.line,
			message: `manual_payments: the ${m.method} number is an example; put your own before going live (ORIGIN is not loopback)`
		}));
}
