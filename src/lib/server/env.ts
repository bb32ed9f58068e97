/**
 * Every environment variable the store reads, checked once at start-up by one valibot schema (VARIABLES: one entry
 * per variable). A malformed value stops the server with a message that names the variable.
 */
import * as v from 'valibot';
import { EmailAddress } from './email-address';

export interface Config {
	port: number;
	origin: string;
	databasePath: string;
	courseDir: string;
	/** adapter-node's BODY_SIZE_LIMIT in bytes: the largest request body the server reads (Infinity: no limit). */
	bodySizeLimit: number;
	stripeSecretKey: string | undefined;
	stripeWebhookSecret: string | undefined;
	stripeApiBase: URL | undefined;
	resendApiKey: string | undefined;
	resendWebhookSecret: string | undefined;
	/** Signs POST /api/payments/sms (the seller's SMS-forwarding phone); unset = that endpoint answers 404. */
	paymentSmsSecret: string | undefined;
	mailFrom: string;
	mailPostalAddress: string | undefined;
	adminEmails: ReadonlySet<string>;
	dripIntervalSeconds: number;
	/** Where Litestream copies the database (`s3://…` or `file:///…`); unset = no replica. */
	litestreamReplicaUrl: string | undefined;
	/** No Stripe key: the local demo checkout stands in for Stripe. */
	demoPayments: boolean;
	/** No Resend key: mails go to the demo mailbox at /dev/mailbox. */
	demoMail: boolean;
	/** DEMO_MODE=1: a public demo site, whose demo mailbox shows each browser only its own mails. */
	demoMode: boolean;
	/** ORIGIN is localhost, 127.0.0.0/8 or [::1] (or unset): only there may demo mode run without DEMO_MODE=1. */
	loopback: boolean;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** A sender as a mail header names it: "course@localhost" is fine in demo, so this is not a reader's EmailAddress. */
const SENDER_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

const GET_STRIPE_KEY = 'get a secret key in the Stripe Dashboard → Developers → API keys';
const GET_RESEND_KEY = 'create an API key at resend.com → API Keys, after verifying your sending domain';

/**
 * The default of BODY_SIZE_LIMIT, also written into adapter-node's build (svelte.config.js): Stripe's largest
 * events fit (a dispute carries up to 150,000 characters of evidence), and no form comes near it.
 */
const DEFAULT_BODY_SIZE_LIMIT = '1M';

// One schema per kind of value; each message names its variable.
// Every variable is looked up, so each entry sees a string or undefined (never a missing key).
const Raw = v.union([v.string(), v.undefined()]);

/** Unset, empty and blank are all unset; otherwise trimmed. */
const text = () =>
	v.pipe(
		Raw,
		v.transform((s) => s?.trim() || undefined)
	);

function wholeNumber(name: string, fallback: number, min: number, max: number) {
	return v.pipe(
		Raw,
		v.check(
			(s) => s === undefined || s.trim() === '' || /^\d+$/.test(s.trim()),
			(issue) => `${name} must be a whole number, got "${issue.input}"`
		),
		v.transform((s) => (s === undefined || s.trim() === '' ? fallback : Number(s))),
		v.check(
			(n) => n >= min && n <= max,
			(issue) => `${name} must be between ${min} and ${max}, got ${issue.input}`
		)
	);
}

const isHttp = (s: string): boolean => ['http:', 'https:'].includes(new URL(s).protocol);

/** An http(s) URL; `extra` is one more rule, with its message. */
function httpUrl(name: string, extra?: { ok: (url: URL) => boolean; message: string }) {
	return v.pipe(
		text(),
		v.check(
			(s) => s === undefined || URL.canParse(s),
			(issue) => `${name} must be an absolute URL such as http://127.0.0.1:12111, got "${issue.input}"`
		),
		v.check(
			(s) => s === undefined || !URL.canParse(s) || isHttp(s),
			(issue) => `${name} must start with http:// or https://, got "${issue.input}"`
		),
		v.check(
			(s) => s === undefined || !URL.canParse(s) || !isHttp(s) || !extra || extra.ok(new URL(s)),
			(issue) => `${extra?.message ?? name}, got "${issue.input}"`
		),
		v.transform((s) => (s === undefined ? undefined : new URL(s)))
	);
}

const isBareOrigin = (url: URL): boolean => url.pathname === '/' && !url.search && !url.hash;

function startsWith(name: string, pattern: RegExp, prefixes: string) {
	return v.pipe(
		text(),
		v.check((s) => s === undefined || pattern.test(s), `${name} must start with ${prefixes}`)
	);
}

function flag(name: string) {
	return v.pipe(
		Raw,
		v.transform((s) => s ?? ''),
		v.check(
			(s) => ['', '0', '1'].includes(s.trim()),
			(issue) => `${name} must be 1 or unset, got "${issue.input}"`
		),
		v.transform((s) => s.trim() === '1')
	);
}

/** A size read the way adapter-node reads BODY_SIZE_LIMIT: bytes, or a number with K, M or G; Infinity for none. */
function bytes(value: string): number {
	const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[value.slice(-1).toUpperCase()];
	return Number(unit ? value.slice(0, -1) : value) * (unit ?? 1);
}

/** Every variable the store reads, one entry each; what depends on several is checked after, in crossCheck. */
const VARIABLES = {
	PORT: wholeNumber('PORT', 3000, 1, 65535),
	ORIGIN: httpUrl('ORIGIN', {
		ok: isBareOrigin,
		message: 'ORIGIN must be a bare origin such as https://course.example.com'
	}),
	DATABASE_PATH: text(),
	COURSE_DIR: text(),
	BODY_SIZE_LIMIT: v.pipe(
		Raw,
		v.transform((s) => s ?? DEFAULT_BODY_SIZE_LIMIT),
		v.check(
			(s) => bytes(s) >= 0,
			(issue) => `BODY_SIZE_LIMIT must be a size such as 1M, 512K or 1048576, got "${issue.input}"`
		),
		v.transform(bytes)
	),
	STRIPE_SECRET_KEY: startsWith(
		'STRIPE_SECRET_KEY',
		/^(sk|rk)_(test|live)_/,
		'sk_test_, sk_live_, rk_test_ or rk_live_'
	),
	STRIPE_WEBHOOK_SECRET: startsWith('STRIPE_WEBHOOK_SECRET', /^whsec_/, 'whsec_'),
	STRIPE_API_BASE: httpUrl('STRIPE_API_BASE'),
	RESEND_API_KEY: text(),
	PAYMENT_SMS_SECRET: text(),
	RESEND_WEBHOOK_SECRET: startsWith('RESEND_WEBHOOK_SECRET', /^whsec_/, 'whsec_'),
	// Read by the Resend SDK itself; checked here so that a typo stops the store at start-up.
	RESEND_BASE_URL: httpUrl('RESEND_BASE_URL'),
	MAIL_FROM: v.pipe(
		text(),
		v.transform((s) => s ?? 'course@localhost'),
		v.check(
			(from) => SENDER_ADDRESS.test(/<([^>]+)>\s*$/.exec(from)?.[1] ?? from) && !/[\r\n]/.test(from),
			(issue) => `MAIL_FROM must be an address such as "Course <course@example.com>", got "${issue.input}"`
		)
	),
	MAIL_POSTAL_ADDRESS: text(),
	ADMIN_EMAILS: v.pipe(
		Raw,
		v.transform((s) => (s ?? '').split(',').map((e) => e.trim())),
		v.transform((list) => list.filter((e) => e !== '')),
		v.check(
			(list) => list.every((e) => v.is(EmailAddress, e)),
			(issue) => `ADMIN_EMAILS has an invalid address: "${issue.input.find((e) => !v.is(EmailAddress, e))}"`
		),
		v.transform((list): ReadonlySet<string> => new Set(list.map((e) => v.parse(EmailAddress, e))))
	),
	DRIP_INTERVAL_SECONDS: wholeNumber('DRIP_INTERVAL_SECONDS', 60, 0, 86_400),
	DEMO_MODE: flag('DEMO_MODE'),
	LITESTREAM_REPLICA_URL: v.pipe(
		text(),
		// Litestream reads s3://BUCKET/PATH (credentials from LITESTREAM_ACCESS_KEY_ID/SECRET) and file:///PATH.
		v.check(
			(s) => s === undefined || /^s3:\/\/[^/\s]+(\/\S*)?$/.test(s) || /^file:\/\/\/\S+$/.test(s),
			(issue) => `LITESTREAM_REPLICA_URL must be s3://BUCKET/PATH or file:///ABSOLUTE/PATH, got "${issue.input}"`
		)
	)
};

type Variables = v.InferOutput<v.ObjectSchema<typeof VARIABLES, undefined>>;

/** localhost, 127.0.0.0/8 and [::1]: a store only its own machine can reach. */
export function isLoopback(origin: URL): boolean {
	const host = origin.hostname;
	return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const originOf = (vars: Variables): URL => vars.ORIGIN ?? new URL(`http://localhost:${vars.PORT}`);

/**
 * Demo payments and the demo mailbox let anyone buy for free and read every sign-in mail, so they run only where
 * nobody else can reach the store (a loopback ORIGIN) or where the operator asked for a public demo (DEMO_MODE=1).
 */
function demoModeProblem(vars: Variables): string | undefined {
	const origin = originOf(vars);
	const keys: string[] = [];
	if (vars.STRIPE_SECRET_KEY) keys.push('STRIPE_SECRET_KEY');
	if (vars.RESEND_API_KEY) keys.push('RESEND_API_KEY');
	if (vars.DEMO_MODE && keys.length) {
		return (
			`DEMO_MODE=1 cannot be used with ${keys.join(' or ')}: a store is either a demo or live. ` +
			'Unset DEMO_MODE to go live, or unset the keys for a demo'
		);
	}
	if (!vars.ORIGIN && (keys.length || vars.DEMO_MODE)) {
		return (
			`ORIGIN is required when ${vars.DEMO_MODE ? 'DEMO_MODE=1' : keys.join(' or ')} is set: ` +
			'set it to the public address, such as ORIGIN=https://course.example.com (every link in a mail is built from it)'
		);
	}
	if (vars.DEMO_MODE || isLoopback(origin)) return undefined;
	const missing: string[] = [];
	if (!vars.STRIPE_SECRET_KEY) {
		missing.push(
			`STRIPE_SECRET_KEY is required on the public ORIGIN ${origin.origin}: without it anyone gets the course through the demo checkout; ${GET_STRIPE_KEY}`
		);
	}
	if (!vars.RESEND_API_KEY) {
		missing.push(
			`RESEND_API_KEY is required on the public ORIGIN ${origin.origin}: without it every sign-in link is shown in the public demo mailbox; ${GET_RESEND_KEY}`
		);
	}
	if (!missing.length) return undefined;
	return `${missing.join('\n')}\n(For a public demo with no real payments or mail, set DEMO_MODE=1 and neither key.)`;
}

/** The first rule across variables that the environment breaks, or undefined. */
function crossCheck(vars: Variables): string | undefined {
	if (vars.STRIPE_SECRET_KEY && !vars.STRIPE_WEBHOOK_SECRET)
		return 'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set (Dashboard → Developers → Webhooks)';
	if (vars.RESEND_API_KEY && !vars.MAIL_POSTAL_ADDRESS)
		return 'MAIL_POSTAL_ADDRESS is required when RESEND_API_KEY is set: every marketing mail must carry it';
	return demoModeProblem(vars);
}

function toConfig(vars: Variables): Config {
	const origin = originOf(vars);
	return {
		port: vars.PORT,
		origin: origin.origin,
		databasePath: vars.DATABASE_PATH ?? 'data/store.db',
		courseDir: vars.COURSE_DIR ?? 'course',
		bodySizeLimit: vars.BODY_SIZE_LIMIT,
		stripeSecretKey: vars.STRIPE_SECRET_KEY,
		stripeWebhookSecret: vars.STRIPE_WEBHOOK_SECRET,
		stripeApiBase: vars.STRIPE_API_BASE,
		resendApiKey: vars.RESEND_API_KEY,
		resendWebhookSecret: vars.RESEND_WEBHOOK_SECRET,
		paymentSmsSecret: vars.PAYMENT_SMS_SECRET,
		mailFrom: vars.MAIL_FROM,
		mailPostalAddress: vars.MAIL_POSTAL_ADDRESS,
		adminEmails: vars.ADMIN_EMAILS,
		dripIntervalSeconds: vars.DRIP_INTERVAL_SECONDS,
		litestreamReplicaUrl: vars.LITESTREAM_REPLICA_URL,
		demoPayments: !vars.STRIPE_SECRET_KEY,
		demoMail: !vars.RESEND_API_KEY,
		demoMode: vars.DEMO_MODE,
		loopback: isLoopback(origin)
	};
}

const Environment = v.pipe(
	v.object(VARIABLES),
	v.rawCheck(({ dataset, addIssue }) => {
		// Rules across variables are read only once each variable is well formed.
		const problem = dataset.typed && !dataset.issues ? crossCheck(dataset.value) : undefined;
		if (problem) addIssue({ message: problem });
	}),
	v.transform(toConfig)
);

/** The configuration in env, or a ConfigError that names every malformed variable (or the first rule broken). */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	const known = Object.fromEntries(Object.keys(VARIABLES).map((name) => [name, env[name]]));
	const result = v.safeParse(Environment, known);
	if (!result.success) throw new ConfigError([...new Set(result.issues.map((i) => i.message))].join('\n'));
	return result.output;
}

let current: Config | undefined;

/** The configuration read at start-up (read on first use outside the server, e.g. in scripts). */
export function config(): Config {
	return (current ??= readConfig());
}
