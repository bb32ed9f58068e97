import { eq } from 'drizzle-orm';
import { bengaliCode } from '../auth/sign-in-code';
import { createLoginToken } from '../auth/tokens';
import { course } from '../course';
import { db } from '../db';
import { enrolments, orders } from '../db/schema';
import { config } from '../env';
import { formatPrice } from '../../format';
import { oneLine, renderHtml, renderText, type MailBody } from './layout';
import { issueConfirmToken } from './subscribers';

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

// A purchase mail may be opened hours later on a phone: its sign-in link lives a day, a requested one 15 minutes.
const WELCOME_LINK_TTL_MS = 24 * 60 * 60 * 1000;

export function compose(subject: string, body: MailBody, headers: Record<string, string> = {}): ComposedMail {
	const clean = oneLine(subject);
	return { subject: clean, html: renderHtml(clean, body), text: renderText(body), headers };
}

function signInUrl(token: string): string {
	return `${config().origin}/login/verify?token=${encodeURIComponent(token)}`;
}

/** The code beside a sign-in link, in Bengali digits and in Latin ones (what a phone keyboard may offer). */
function signInCode(code: string | null, where: string): MailBody['code'] {
	return code
		? { label: `অথবা ${where} এই কোডটি লিখুন:`, value: bengaliCode(code), alt: `ইংরেজি অঙ্কে: ${code}` }
		: undefined;
}

/** The browser a mail's code is for (the hash of its sign-in cookie), as queued in the outbox. */
function browserOf(params: Record<string, unknown>): string | null {
	return typeof params.browser === 'string' && /^[0-9a-f]{64}$/.test(params.browser) ? params.browser : null;
}

function transactionalFooter(): string[] {
	const { title } = course();
	return [
		`${title} — ${config().origin}`,
		'আপনি এই ইমেইল পেয়েছেন কারণ এই ঠিকানা দিয়ে আমাদের কোর্সে কেনাকাটা বা সাইন ইনের অনুরোধ করা হয়েছে।'
	];
}

function greeting(name: unknown): string {
	return typeof name === 'string' && name.trim() ? `প্রিয় ${oneLine(name)},` : 'প্রিয় শিক্ষার্থী,';
}

function enrolmentActive(userId: number): boolean {
	const row = db().select({ status: enrolments.status }).from(enrolments).where(eq(enrolments.userId, userId)).get();
	return row?.status === 'active';
}

const welcome: Template = ({ to, params }) => {
	const { title } = course();
	const order =
		typeof params.orderId === 'number'
			? db().select().from(orders).where(eq(orders.id, params.orderId)).get()
			: undefined;
	// A refund or dispute that arrived first: there is no course to welcome them to.
	if (order && !enrolmentActive(order.userId)) return null;
	const { token, code } = createLoginToken(to, '/course', {
		ttlMs: WELCOME_LINK_TTL_MS,
		browserHash: browserOf(params)
	});
	const receipt = order
		? [`রসিদ: ${title} — ${formatPrice(order.amount, order.currency.toUpperCase())}, অর্ডার নম্বর ${order.id}।`]
		: [];
	return compose(`আপনার কোর্স প্রস্তুত: ${title}`, {
		paragraphs: [
			greeting(params.name),
			`“${title}” কেনার জন্য ধন্যবাদ! আপনার কোর্স এখন খোলা। নিচের বোতামে চাপ দিয়ে সাইন ইন করুন, প্রথম পাঠগুলো এখনই পড়তে পারবেন।`,
			...receipt
		],
		button: { label: 'সাইন ইন করে কোর্স শুরু করুন', url: signInUrl(token) },
		code: signInCode(code, `যে ব্রাউজারে কোর্সটি কিনেছেন, সেখানে ${config().origin}/login পাতায়`),
		after: [
			code
				? 'লিংক ও কোড ২৪ ঘণ্টা কাজ করবে, একবারই: যেকোনো একটি ব্যবহার করলে অন্যটি আর কাজ করবে না। পরে যেকোনো সময় সাইন ইন পাতায় আপনার ইমেইল দিয়ে নতুন লিংক নিতে পারবেন।'
				: 'এই লিংক ২৪ ঘণ্টা কাজ করবে এবং একবারই ব্যবহার করা যাবে। পরে যেকোনো সময় সাইন ইন পাতায় আপনার ইমেইল দিয়ে নতুন লিংক নিতে পারবেন।'
		],
		footer: transactionalFooter()
	});
};

const loginLink: Template = ({ to, params }) => {
	const next = typeof params.next === 'string' ? params.next : null;
	const { token, code } = createLoginToken(to, next, { browserHash: browserOf(params) });
	return compose('আপনার সাইন ইনের লিংক', {
		paragraphs: ['সাইন ইন করতে নিচের বোতামে চাপ দিন।'],
		button: { label: 'সাইন ইন করুন', url: signInUrl(token) },
		code: signInCode(code, 'যে ব্রাউজারে লিংক চেয়েছিলেন, সেখানে সাইন ইন পাতায়'),
		after: [
			code
				? 'লিংক ও কোড ১৫ মিনিট কাজ করবে, একবারই: যেকোনো একটি ব্যবহার করলে অন্যটি আর কাজ করবে না। আপনি অনুরোধ না করে থাকলে এই ইমেইলটি উপেক্ষা করুন, কোডটি কাউকে জানাবেন না।'
				: 'লিংকটি ১৫ মিনিট কাজ করবে এবং একবারই ব্যবহার করা যাবে। আপনি অনুরোধ না করে থাকলে এই ইমেইলটি উপেক্ষা করুন।'
		],
		footer: transactionalFooter()
	});
};

/** Double opt-in: transactional, so it goes out whatever the marketing status (never to a bounced address). */
const subscribeConfirm: Template = ({ to, now }) => {
	const token = issueConfirmToken(to, now);
	if (!token) return { skip: 'already confirmed' };
	const { title } = course();
	return compose('আপনার ইমেইল ঠিকানা নিশ্চিত করুন', {
		paragraphs: [
			'প্রিয় পাঠক,',
			`“${title}”-এর ইমেইল তালিকায় যোগ দিতে চাওয়ার জন্য ধন্যবাদ। ঠিকানাটি সত্যিই আপনার কি না, সেটা নিশ্চিত করতে নিচের বোতামে চাপ দিন। নিশ্চিত করলেই প্রথম ফ্রি পাঠের লিংক পাঠিয়ে দেব।`
		],
		button: {
			label: 'হ্যাঁ, আমি যোগ দিতে চাই',
			url: `${config().origin}/subscribe/confirm?token=${encodeURIComponent(token)}`
		},
		after: [
			'লিংকটি ৭ দিন কাজ করবে। আপনি যোগ দিতে না চাইলে কিছুই করতে হবে না: নিশ্চিত না করলে আমরা এই ঠিকানায় আর কোনো ইমেইল পাঠাব না।'
		],
		footer: [
			`${title} — ${config().origin}`,
			'এই ঠিকানা দিয়ে আমাদের ওয়েবসাইটের ফর্মে ইমেইল তালিকায় যোগ দেওয়ার অনুরোধ করা হয়েছে বলে এই ইমেইলটি পেয়েছেন।'
		]
	});
};

const templates = new Map<string, Template>([
	['welcome', welcome],
	['login-link', loginLink],
	['subscribe-confirm', subscribeConfirm]
]);

/** Adds templates (e.g. the email sequences) to the registry. */
export function registerTemplate(name: string, template: Template): void {
	templates.set(name, template);
}

export function templateFor(name: string): Template | undefined {
	return templates.get(name);
}
