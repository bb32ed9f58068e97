/**
 * The "going live" checklist on /admin: item by item, what a store that takes real money and sends real mail
 * needs, read from the configuration and from what has actually happened (webhooks received, backups made).
 */
import { max, notLike } from 'drizzle-orm';
import { bnDigits, formatDate, formatTime } from '../../format';
import { lastBackup } from '../backups';
import { course } from '../course';
import { db } from '../db';
import { resendEvents, stripeEvents } from '../db/schema';
import { config, type Config } from '../env';
import type { ReplicaState } from '../replica';

export type ItemState = 'ok' | 'warn' | 'missing';

export interface GoingLiveItem {
	/** Stable name, for tests and anchors. */
	id: string;
	title: string;
	state: ItemState;
	detail: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reserved by RFC 2606 and 6761, or local: no mail provider sends from these. */
const NOT_A_REAL_DOMAIN = /(^|\.)(localhost|example(\.(com|net|org))?|test|invalid|local)$/;

function mailFromDomain(mailFrom: string): string {
	const address = /<([^>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function lastStripeEvent(): number | null {
	// Demo checkouts go through the same webhook path; their events are not Stripe's.
	const row = db()
		.select({ at: max(stripeEvents.receivedAt) })
		.from(stripeEvents)
		.where(notLike(stripeEvents.id, 'evt_demo_%'))
		.get();
	return row?.at ?? null;
}

function lastResendEvent(): number | null {
	return (
		db()
			.select({ at: max(resendEvents.receivedAt) })
			.from(resendEvents)
			.get()?.at ?? null
	);
}

function paymentItems(c: Config, when: (ms: number) => string): GoingLiveItem[] {
	const key = c.stripeSecretKey;
	const live = key !== undefined && /^(sk|rk)_live_/.test(key);
	const seen = lastStripeEvent();
	return [
		{
			id: 'stripe-key',
			title: 'Stripe-এর সিক্রেট কী (STRIPE_SECRET_KEY)',
			state: live ? 'ok' : key ? 'warn' : 'missing',
			detail: live
				? 'লাইভ কী দেওয়া আছে: আসল পেমেন্ট নেওয়া হচ্ছে।'
				: key
					? 'টেস্ট কী দেওয়া আছে: আসল টাকা নেওয়া হয় না। বিক্রি শুরু করতে Stripe Dashboard → Developers → API keys থেকে লাইভ কী (sk_live_…) দিন।'
					: 'নেই: এখন ডেমো পেমেন্ট চলছে, কেউ টাকা দেন না। Stripe Dashboard → Developers → API keys থেকে সিক্রেট কী নিয়ে দিন।'
		},
		{
			id: 'stripe-webhook-secret',
			title: 'Stripe webhook-এর সাইনিং সিক্রেট (STRIPE_WEBHOOK_SECRET)',
			state: c.stripeWebhookSecret ? 'ok' : 'missing',
			detail: c.stripeWebhookSecret
				? 'দেওয়া আছে।'
				: `নেই: Stripe Dashboard → Developers → Webhooks-এ ${c.origin}/api/webhooks/stripe যোগ করে তার signing secret দিন।`
		},
		{
			id: 'stripe-webhook-seen',
			title: 'Stripe থেকে webhook এসেছে',
			state: seen ? 'ok' : 'missing',
			detail: seen
				? `শেষবার এসেছে ${when(seen)}।`
				: `এখনও একটিও আসেনি: webhook-এর ঠিকানা ${c.origin}/api/webhooks/stripe আর সিক্রেট মিলিয়ে দেখুন, তারপর একটি পেমেন্ট করে দেখুন।`
		}
	];
}

function mailItems(c: Config, when: (ms: number) => string): GoingLiveItem[] {
	const seen = lastResendEvent();
	const domain = mailFromDomain(c.mailFrom);
	const realDomain = domain.includes('.') && !NOT_A_REAL_DOMAIN.test(domain);
	return [
		{
			id: 'resend-key',
			title: 'Resend-এর API কী (RESEND_API_KEY)',
			state: c.resendApiKey ? 'ok' : 'missing',
			detail: c.resendApiKey
				? 'দেওয়া আছে: ইমেইল Resend দিয়ে পাঠানো হচ্ছে।'
				: 'নেই: কোনো ইমেইল পাঠানো হয় না, ডেমো মেইলবক্সে জমা থাকে। resend.com → API Keys থেকে কী নিন (আগে পাঠানোর ডোমেইন যাচাই করুন)।'
		},
		{
			id: 'resend-webhook-secret',
			title: 'Resend webhook-এর সাইনিং সিক্রেট (RESEND_WEBHOOK_SECRET)',
			state: c.resendWebhookSecret ? 'ok' : 'missing',
			detail: c.resendWebhookSecret
				? 'দেওয়া আছে।'
				: `নেই: বাউন্স আর অভিযোগের খবর আসবে না। Resend → Webhooks-এ ${c.origin}/api/webhooks/resend যোগ করুন (email.bounced, email.complained), তার signing secret দিন।`
		},
		{
			id: 'resend-webhook-seen',
			title: 'Resend থেকে webhook এসেছে',
			state: seen ? 'ok' : 'missing',
			detail: seen
				? `শেষবার এসেছে ${when(seen)}।`
				: `এখনও একটিও আসেনি: Resend-এ webhook-এর ঠিকানা ${c.origin}/api/webhooks/resend আর সিক্রেট মিলিয়ে দেখুন।`
		},
		{
			id: 'mail-from',
			title: 'পাঠানোর ঠিকানা (MAIL_FROM) নিজের ডোমেইনে',
			state: realDomain ? 'ok' : 'missing',
			detail: realDomain
				? `${c.mailFrom}`
				: `${c.mailFrom}: এটি আসল ডোমেইন নয়। Resend-এ যাচাই করা নিজের ডোমেইনের ঠিকানা দিন, যেমন "কোর্স <course@আপনার-ডোমেইন>"।`
		},
		{
			id: 'postal-address',
			title: 'প্রেরকের ডাকঠিকানা (MAIL_POSTAL_ADDRESS)',
			state: c.mailPostalAddress ? 'ok' : 'missing',
			detail: c.mailPostalAddress
				? 'দেওয়া আছে: প্রতিটি মার্কেটিং ইমেইলে ছাপা হয়।'
				: 'নেই: প্রতিটি মার্কেটিং ইমেইলে প্রেরকের ডাকঠিকানা থাকা দরকার।'
		}
	];
}

function originItem(c: Config): GoingLiveItem {
	const https = c.origin.startsWith('https:') && !c.loopback;
	return {
		id: 'origin-https',
		title: 'সাইটের ঠিকানা (ORIGIN) https-এ',
		state: https ? 'ok' : 'missing',
		detail: https
			? c.origin
			: c.loopback
				? `${c.origin}: এটি শুধু এই কম্পিউটারের ঠিকানা। সাইটের আসল https:// ঠিকানা দিন; ইমেইলের প্রতিটি লিংক এ থেকে তৈরি হয়।`
				: `${c.origin}: https নয়। সাইন-ইন কুকি আর ইমেইলের লিংক নিরাপদ রাখতে সাইটটি HTTPS-এর পিছনে চালান আর https:// ঠিকানা দিন।`
	};
}

function backupItem(now: number, when: (ms: number) => string): GoingLiveItem {
	const last = lastBackup();
	const fresh = last !== undefined && now - last.finishedAt < DAY_MS;
	return {
		id: 'backup',
		title: 'গত এক দিনের মধ্যে ব্যাকআপ',
		state: fresh ? 'ok' : last ? 'warn' : 'missing',
		detail: !last
			? 'এখনও কোনো ব্যাকআপ হয়নি: সার্ভারে npm run backup -- FILE চালান, আর প্রতিদিন চলার ব্যবস্থা করুন (যেমন cron দিয়ে)।'
			: fresh
				? `শেষ ব্যাকআপ ${when(last.finishedAt)}: ${last.file}`
				: `শেষ ব্যাকআপ ${when(last.finishedAt)}, এক দিনের বেশি আগে: npm run backup -- FILE প্রতিদিন চলার ব্যবস্থা করুন।`
	};
}

// Litestream copies within a second or two; minutes behind the database's last write means it is not running.
const BEHIND_LIMIT_SECONDS = 300;

function replicaItem(replica: ReplicaState, when: (ms: number) => string): GoingLiveItem {
	const title = 'সার্ভারের বাইরে ডাটাবেসের কপি (LITESTREAM_REPLICA_URL)';
	if (!replica.configured) {
		return {
			id: 'replica',
			title,
			state: 'missing',
			detail:
				'নেই: এই সার্ভারের ডিস্ক নষ্ট হলে সব বিক্রি আর শিক্ষার্থীর হিসাব হারাবে। LITESTREAM_REPLICA_URL-এ একটি S3 বাকেট (s3://…) দিয়ে স্টোর npm run serve দিয়ে চালান: Litestream প্রতিটি পরিবর্তন সেখানে কপি করবে।'
		};
	}
	const last = replica.lastReplicatedAt?.getTime();
	const behind = replica.behindSeconds ?? 0;
	if (replica.problem || last === undefined || behind > BEHIND_LIMIT_SECONDS) {
		return {
			id: 'replica',
			title,
			state: 'warn',
			detail: replica.problem
				? `${replica.url} পড়া যায়নি (${replica.problem}): ঠিকানা আর LITESTREAM_ACCESS_KEY_ID / LITESTREAM_SECRET_ACCESS_KEY মিলিয়ে দেখুন।`
				: last === undefined
					? `${replica.url}-এ এখনও কোনো কপি নেই: স্টোর npm run serve দিয়ে চালু আছে কি না দেখুন।`
					: `শেষ কপি ${when(last)}, ডাটাবেসের শেষ পরিবর্তনের ${bnDigits(Math.floor(behind / 60))} মিনিট আগের: Litestream চলছে না। স্টোর npm run serve দিয়ে চালান।`
		};
	}
	return {
		id: 'replica',
		title,
		state: 'ok',
		detail: `শেষ কপি ${when(last)}, ${replica.url}-এ (Litestream-এর অবস্থান ${replica.position})।`
	};
}

export function goingLiveItems(replica: ReplicaState, now = Date.now()): GoingLiveItem[] {
	const c = config();
	const { timezone } = course();
	const when = (ms: number): string => `${formatDate(ms, timezone, true)}, ${formatTime(ms, timezone)}`;
	return [
		...paymentItems(c, when),
		...mailItems(c, when),
		originItem(c),
		backupItem(now, when),
		replicaItem(replica, when)
	];
}
