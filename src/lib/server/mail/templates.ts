/**
 * The transactional mails, composed from what the caller gathered when the mail is due (mail/transactional.ts):
 * this module mints no token and reads nothing, it only writes the mail.
 */
import { course } from '../course';
import { config } from '../env';
import { formatPrice } from '../../format';
import { oneLine, renderHtml, renderText, type MailBody } from './layout';

export interface ComposedMail {
	subject: string;
	html: string;
	text: string;
	headers: Record<string, string>;
	/** Large pieces of html and text that many mails share (a sequence step's body): frozen once, by reference. */
	shared?: readonly string[];
}

export interface MailContext {
	to: string;
	params: Record<string, unknown>;
	key: string;
	/** The time of the pass composing the mail. */
	now: number;
}

/**
 * What a template answers at send time: the mail; null or { skip } when it is no longer wanted (kept as skipped,
 * with the reason); { stop } when its sequence stopped (kept as stopped, resumed if the sequence starts again);
 * or { deferUntil } when it must wait (a sequence mail waiting for a condition).
 */
export type TemplateResult =
	ComposedMail | null | { skip: string } | { stop: string } | { deferUntil: number; reason: string };

export type Template = (ctx: MailContext) => TemplateResult;

/** A sign-in link made for this mail, and the code beside it when a browser asked for one (see mail/links.ts). */
export interface SignInLink {
	url: string;
	code: { bengali: string; latin: string } | null;
}

export function compose(subject: string, body: MailBody, headers: Record<string, string> = {}): ComposedMail {
	const clean = oneLine(subject);
	return { subject: clean, html: renderHtml(clean, body), text: renderText(body), headers };
}

/** The code beside a sign-in link, in Bengali digits and in Latin ones (what a phone keyboard may offer). */
function signInCode(code: SignInLink['code'], where: string): MailBody['code'] {
	return code
		? { label: `অথবা ${where} এই কোডটি লিখুন:`, value: code.bengali, alt: `ইংরেজি অঙ্কে: ${code.latin}` }
		: undefined;
}

function transactionalFooter(): string[] {
	const { title } = course();
	return [
		`${title} — ${config().origin}`,
		'আপনি এই ইমেইল পেয়েছেন কারণ এই ঠিকানা দিয়ে আমাদের কোর্সে কেনাকাটা বা সাইন ইনের অনুরোধ করা হয়েছে।'
	];
}

function greeting(name: string | null): string {
	return name?.trim() ? `প্রিয় ${oneLine(name)},` : 'প্রিয় শিক্ষার্থী,';
}

/** The purchase mail: thanks, the receipt when the order is known, and a sign-in link that lives a day. */
export function welcomeMail({
	name,
	order,
	signIn
}: {
	name: string | null;
	order: { id: number; amount: number; currency: string } | undefined;
	signIn: SignInLink;
}): ComposedMail {
	const { title } = course();
	const { code } = signIn;
	const receipt = order
		? [`রসিদ: ${title} — ${formatPrice(order.amount, order.currency)}, অর্ডার নম্বর ${order.id}।`]
		: [];
	return compose(`আপনার কোর্স প্রস্তুত: ${title}`, {
		paragraphs: [
			greeting(name),
			`“${title}” কেনার জন্য ধন্যবাদ! আপনার কোর্স এখন খোলা। নিচের বোতামে চাপ দিয়ে সাইন ইন করুন, প্রথম পাঠগুলো এখনই পড়তে পারবেন।`,
			...receipt
		],
		button: { label: 'সাইন ইন করে কোর্স শুরু করুন', url: signIn.url },
		code: signInCode(code, `যে ব্রাউজারে কোর্সটি কিনেছেন, সেখানে ${config().origin}/login পাতায়`),
		after: [
			code
				? 'লিংক ও কোড ২৪ ঘণ্টা কাজ করবে, একবারই: যেকোনো একটি ব্যবহার করলে অন্যটি আর কাজ করবে না। পরে যেকোনো সময় সাইন ইন পাতায় আপনার ইমেইল দিয়ে নতুন লিংক নিতে পারবেন।'
				: 'এই লিংক ২৪ ঘণ্টা কাজ করবে এবং একবারই ব্যবহার করা যাবে। পরে যেকোনো সময় সাইন ইন পাতায় আপনার ইমেইল দিয়ে নতুন লিংক নিতে পারবেন।'
		],
		footer: transactionalFooter()
	});
}

/** A requested sign-in link (15 minutes), with the code for the browser that asked. */
export function signInMail({ url, code }: SignInLink): ComposedMail {
	return compose('আপনার সাইন ইনের লিংক', {
		paragraphs: ['সাইন ইন করতে নিচের বোতামে চাপ দিন।'],
		button: { label: 'সাইন ইন করুন', url },
		code: signInCode(code, 'যে ব্রাউজারে লিংক চেয়েছিলেন, সেখানে সাইন ইন পাতায়'),
		after: [
			code
				? 'লিংক ও কোড ১৫ মিনিট কাজ করবে, একবারই: যেকোনো একটি ব্যবহার করলে অন্যটি আর কাজ করবে না। আপনি অনুরোধ না করে থাকলে এই ইমেইলটি উপেক্ষা করুন, কোডটি কাউকে জানাবেন না।'
				: 'লিংকটি ১৫ মিনিট কাজ করবে এবং একবারই ব্যবহার করা যাবে। আপনি অনুরোধ না করে থাকলে এই ইমেইলটি উপেক্ষা করুন।'
		],
		footer: transactionalFooter()
	});
}

/** Double opt-in: transactional, so it goes out whatever the marketing status (never to a bounced address). */
export function confirmMail(url: string): ComposedMail {
	const { title } = course();
	return compose('আপনার ইমেইল ঠিকানা নিশ্চিত করুন', {
		paragraphs: [
			'প্রিয় পাঠক,',
			`“${title}”-এর ইমেইল তালিকায় যোগ দিতে চাওয়ার জন্য ধন্যবাদ। ঠিকানাটি সত্যিই আপনার কি না, সেটা নিশ্চিত করতে নিচের বোতামে চাপ দিন। নিশ্চিত করলেই প্রথম ফ্রি পাঠের লিংক পাঠিয়ে দেব।`
		],
		button: { label: 'হ্যাঁ, আমি যোগ দিতে চাই', url },
		after: [
			'লিংকটি ৭ দিন কাজ করবে। আপনি যোগ দিতে না চাইলে কিছুই করতে হবে না: নিশ্চিত না করলে আমরা এই ঠিকানায় আর কোনো ইমেইল পাঠাব না।'
		],
		footer: [
			`${title} — ${config().origin}`,
			'এই ঠিকানা দিয়ে আমাদের ওয়েবসাইটের ফর্মে ইমেইল তালিকায় যোগ দেওয়ার অনুরোধ করা হয়েছে বলে এই ইমেইলটি পেয়েছেন।'
		]
	});
}
