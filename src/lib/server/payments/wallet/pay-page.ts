/** What /pay/<method> shows: the amount with the fee, the account, how to send, in Bengali. */
import { bnDigits, formatPrice } from '../../../format';
import { course } from '../../course';
import { METHOD_NAMES, amountToSend, newReference } from './claims';
import type { BankAccount, PaymentMethod, WalletMethod } from './config';

/** The operators' USSD menus, for phones without the app. */
const USSD: Partial<Record<WalletMethod, string>> = { bkash: '*247#', nagad: '*167#', rocket: '*322#' };

const ACTION = { personal: 'সেন্ড মানি', agent: 'ক্যাশ আউট', merchant: 'পেমেন্ট' } as const;

export interface PayPage {
	method: WalletMethod;
	name: string;
	amount: string;
	price: string;
	fee: string | null;
	/** The wallet number in Bengali digits, and as typed into an app. */
	number: { bengali: string; latin: string } | null;
	bank: BankAccount | null;
	action: string | null;
	ussd: string | null;
	steps: string[];
	instructions: string | null;
	reference: string;
	/** When the one reminder would go ("পরদিন"), for the box that asks for it; null when there is no reminder. */
	reminder: string | null;
}

function walletSteps(m: PaymentMethod, action: string, amount: string, reference: string): string[] {
	const name = METHOD_NAMES[m.method];
	const ussd = USSD[m.method];
	return [
		`${name} অ্যাপ খুলে “${action}” বেছে নিন${ussd ? ` (অ্যাপ না থাকলে ${ussd} ডায়াল করুন)` : ''}।`,
		`নম্বর দিন: ${bnDigits0(m.number!)}।`,
		`টাকার পরিমাণ লিখুন: ${amount}।`,
		`রেফারেন্সের ঘরে লিখুন: ${reference}।`,
		'পিন দিয়ে নিশ্চিত করুন। ফিরতি SMS-এ একটি ট্রানজেকশন আইডি (TrxID) আসবে: সেটি নিচের ফর্মে লিখুন।'
	];
}

/** A phone number in Bengali digits, keeping its leading zero: 01712345678 → ০১৭১২৩৪৫৬৭৮. */
export function bnDigits0(digits: string): string {
	return digits.replace(/\d/g, (d) => bnDigits(Number(d)));
}

/** When the reminder goes, as the box's label says it: "পরদিন", "৬ ঘণ্টা পরে". Undefined when there is no reminder. */
export function reminderDelayText(): string | undefined {
	const mail = course().recovery.wallet;
	if (!mail) return undefined;
	const hours = mail.delayMs / 3_600_000;
	if (hours === 24) return 'পরদিন';
	if (hours % 24 === 0) return `${bnDigits(hours / 24)} দিন পরে`;
	if (Number.isInteger(hours)) return `${bnDigits(hours)} ঘণ্টা পরে`;
	return `${bnDigits(Math.round(mail.delayMs / 60_000))} মিনিট পরে`;
}

export function payPage(m: PaymentMethod, reference = newReference()): PayPage {
	const amount = formatPrice(amountToSend(m), 'BDT');
	const action = m.type ? ACTION[m.type] : null;
	return {
		method: m.method,
		name: METHOD_NAMES[m.method],
		amount,
		price: formatPrice(amountToSend(m) - m.fee, 'BDT'),
		fee: m.fee ? formatPrice(m.fee, 'BDT') : null,
		number: m.number ? { bengali: bnDigits0(m.number), latin: m.number } : null,
		bank: m.bank ?? null,
		action,
		ussd: USSD[m.method] ?? null,
		steps: action
			? walletSteps(m, action, amount, reference)
			: [
					`ওপরের অ্যাকাউন্টে ${amount} পাঠান (অনলাইন ব্যাংকিং, NPSB/BEFTN বা শাখায় গিয়ে)।`,
					`রেফারেন্স বা বিবরণের ঘরে লিখুন: ${reference}।`,
					'রসিদের রেফারেন্স বা ট্রানজেকশন নম্বরটি নিচের ফর্মে লিখুন।'
				],
		instructions: m.instructions ?? null,
		reference,
		reminder: reminderDelayText() ?? null
	};
}

export interface WalletOption {
	method: WalletMethod;
	name: string;
	amount: string;
}

/** The configured methods as the sales page offers them, before the card checkout. */
export function walletOptions(methods: PaymentMethod[]): WalletOption[] {
	return methods.map((m) => ({
		method: m.method,
		name: METHOD_NAMES[m.method],
		amount: formatPrice(amountToSend(m), 'BDT')
	}));
}
