/**
 * The wallet mails the outbox names: the buyer's receipt of a claim, a rejection with its reason, and the seller's
 * daily digest of waiting claims. Each reads the claim when it is due, so a claim approved meanwhile sends no receipt.
 */
import { bnDigits, formatPrice } from '../../../format';
import { course } from '../../course';
import { config } from '../../env';
import { oneLine } from '../../mail/layout';
import { compose, type Template } from '../../mail/templates';
import { findClaim, METHOD_NAMES } from './claims';

const claimOf = (params: Record<string, unknown>) =>
	typeof params.claimId === 'number' ? findClaim(params.claimId) : undefined;

const greeting = (name: string | null): string => (name?.trim() ? `প্রিয় ${oneLine(name)},` : 'প্রিয় শিক্ষার্থী,');

function footer(): string[] {
	return [
		`${course().title} — ${config().origin}`,
		'আপনি এই ইমেইল পেয়েছেন কারণ এই ঠিকানা দিয়ে আমাদের কোর্সের টাকা পাঠানোর তথ্য জমা দেওয়া হয়েছে।'
	];
}

const claimReceipt: Template = ({ params }) => {
	const claim = claimOf(params);
	if (!claim) return { skip: 'the claim is gone' };
	// Approved before the receipt went out (an SMS was waiting): the welcome mail says everything.
	if (claim.status !== 'pending') return { skip: `the claim is already ${claim.status}` };
	const { title } = course();
	return compose(`আপনার পেমেন্টের তথ্য পেয়েছি: ${title}`, {
		paragraphs: [
			greeting(claim.name),
			`“${title}”-এর জন্য ${METHOD_NAMES[claim.method]}-এ ${formatPrice(claim.amount, 'BDT')} পাঠানোর তথ্য আমরা পেয়েছি। যাচাই করা হচ্ছে।`,
			`ট্রানজেকশন আইডি: ${claim.trxId} · রেফারেন্স: ${claim.reference} · আবেদন নম্বর: ${bnDigits(claim.id)}`,
			'সাধারণত কয়েক ঘণ্টার মধ্যে, দেরি হলেও এক দিনের মধ্যে যাচাই হয়ে যায়। যাচাই হলেই সাইন-ইন লিংকসহ আরেকটি ইমেইল পাবেন, তখন থেকে কোর্সটি পড়তে পারবেন।'
		],
		after: ['কোনো ভুল হয়ে থাকলে এই ইমেইলের উত্তরে আমাদের জানান।'],
		footer: footer()
	});
};

const claimRejected: Template = ({ params }) => {
	const claim = claimOf(params);
	if (!claim || claim.status !== 'rejected') return { skip: 'the claim is not rejected' };
	return compose(`আপনার পেমেন্ট যাচাই করা যায়নি: ${course().title}`, {
		paragraphs: [
			greeting(claim.name),
			`${METHOD_NAMES[claim.method]}-এর ট্রানজেকশন আইডি ${claim.trxId} দিয়ে পাঠানো টাকা আমরা মেলাতে পারিনি, তাই এই আবেদনটি বাতিল হয়েছে।`,
			`কারণ: ${oneLine(claim.reason ?? '')}`,
			'টাকা পাঠিয়ে থাকলে লেনদেনের SMS-এর ছবিসহ এই ইমেইলের উত্তরে লিখুন, আমরা দেখে ব্যবস্থা নেব।'
		],
		footer: footer()
	});
};

const claimDigest: Template = ({ params }) => {
	const waiting = typeof params.waiting === 'number' ? params.waiting : 0;
	if (!waiting) return { skip: 'nothing waits' };
	return compose(`${bnDigits(waiting)}টি পেমেন্ট যাচাইয়ের অপেক্ষায়`, {
		paragraphs: [
			`বিকাশ/নগদ/রকেট বা ব্যাংকে টাকা পাঠিয়ে ${bnDigits(waiting)} জন ক্রেতা কোর্সের অপেক্ষায় আছেন।`,
			'মিলিয়ে দেখে অনুমোদন বা বাতিল করুন:'
		],
		button: { label: 'পেমেন্টগুলো দেখুন', url: `${config().origin}/admin/payments` },
		footer: [`${course().title} — ${config().origin}`]
	});
};

export const walletTemplates: [string, Template][] = [
	['wallet-claim', claimReceipt],
	['wallet-rejected', claimRejected],
	['wallet-digest', claimDigest]
];
