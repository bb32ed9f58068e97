/**
 * Every environment variable the store reads, checked once at start-up.
 * A malformed value stops the server with a message that names the variable.
 */
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

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

function nonEmpty(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	if (!/^\d+$/.test(value.trim())) throw new ConfigError(`${name} must be a whole number, got "${value}"`);
	const n = Number(value);
	if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
	return n;
}

function url(name: string, value: string | undefined): URL | undefined {
	if (value === undefined) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		throw new ConfigError(`${name} must be an absolute URL such as http://127.0.0.1:12111, got "${value}"`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new ConfigError(`${name} must start with http:// or https://, got "${value}"`);
	}
	return parsed;
}

/** localhost, 127.0.0.0/8 and [::1]: a store only its own machine can reach. */
export function isLoopback(origin: URL): boolean {
	const host = origin.hostname;
	return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function flag(name: string, value: string | undefined): boolean {
	const v = value?.trim() ?? '';
	if (v === '' || v === '0') return false;
	if (v === '1') return true;
	throw new ConfigError(`${name} must be 1 or unset, got "${value}"`);
}

const GET_STRIPE_KEY = 'get a secret key in the Stripe Dashboard → Developers → API keys';
const GET_RESEND_KEY = 'create an API key at resend.com → API Keys, after verifying your sending domain';

/**
 * Demo payments and the demo mailbox let anyone buy for free and read every sign-in mail, so they run only where
 * nobody else can reach the store (a loopback ORIGIN) or where the operator asked for a public demo (DEMO_MODE=1).
 */
function checkDemoMode(
	env: Record<string, string | undefined>,
	origin: URL,
	stripeSecretKey: string | undefined,
	resendApiKey: string | undefined,
	demoMode: boolean
): void {
	const keys: string[] = [];
	if (stripeSecretKey) keys.push('STRIPE_SECRET_KEY');
	if (resendApiKey) keys.push('RESEND_API_KEY');
	if (demoMode && keys.length) {
		throw new ConfigError(
			`DEMO_MODE=1 cannot be used with ${keys.join(' or ')}: a store is either a demo or live. ` +
				'Unset DEMO_MODE to go live, or unset the keys for a demo'
		);
	}
	if (!nonEmpty(env.ORIGIN) && (keys.length || demoMode)) {
		throw new ConfigError(
			`ORIGIN is required when ${demoMode ? 'DEMO_MODE=1' : keys.join(' or ')} is set: ` +
				'set it to the public address, such as ORIGIN=https://course.example.com (every link in a mail is built from it)'
		);
	}
	if (demoMode || isLoopback(origin)) return;
	const missing: string[] = [];
	if (!stripeSecretKey) {
		missing.push(
			`STRIPE_SECRET_KEY is required on the public ORIGIN ${origin.origin}: without it anyone gets the course through the demo checkout; ${GET_STRIPE_KEY}`
		);
	}
	if (!resendApiKey) {
		missing.push(
			`RESEND_API_KEY is required on the public ORIGIN ${origin.origin}: without it every sign-in link is shown in the public demo mailbox; ${GET_RESEND_KEY}`
		);
	}
	if (missing.length) {
		throw new ConfigError(
			`${missing.join('\n')}\n(For a public demo with no real payments or mail, set DEMO_MODE=1 and neither key.)`
		);
	}
}

/**
 * The default of BODY_SIZE_LIMIT, also written into adapter-node's build (svelte.config.js): Stripe's largest
 * events fit (a dispute carries up to 150,000 characters of evidence), and no form comes near it.
 */
const DEFAULT_BODY_SIZE_LIMIT = '1M';

/** A size read the way adapter-node reads BODY_SIZE_LIMIT: bytes, or a number with K, M or G; Infinity for none. */
function bytes(name: string, value: string): number {
	const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[value.slice(-1).toUpperCase()];
	const n = Number(unit ? value.slice(0, -1) : value) * (unit ?? 1);
	if (Number.isNaN(n) || n < 0)
		throw new ConfigError(`${name} must be a size such as 1M, 512K or 1048576, got "${value}"`);
	return n;
}

function replicaUrl(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	// Litestream reads s3://BUCKET/PATH (credentials from LITESTREAM_ACCESS_KEY_ID/SECRET) and file:///PATH.
	if (!/^s3:\/\/[^/\s]+(\/\S*)?$/.test(value) && !/^file:\/\/\/\S+$/.test(value)) {
		throw new ConfigError(`LITESTREAM_REPLICA_URL must be s3://BUCKET/PATH or file:///ABSOLUTE/PATH, got "${value}"`);
	}
	return value;
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
	const port = integer('PORT', env.PORT, 3000, 1, 65535);
	const originUrl = url('ORIGIN', nonEmpty(env.ORIGIN)) ?? new URL(`http://localhost:${port}`);
	if (originUrl.pathname !== '/' || originUrl.search || originUrl.hash) {
		throw new ConfigError(`ORIGIN must be a bare origin such as https://course.example.com, got "${env.ORIGIN}"`);
	}

	const stripeSecretKey = nonEmpty(env.STRIPE_SECRET_KEY);
	const stripeWebhookSecret = nonEmpty(env.STRIPE_WEBHOOK_SECRET);
	if (stripeSecretKey && !stripeWebhookSecret) {
		throw new ConfigError(
			'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set (Dashboard → Developers → Webhooks)'
		);
	}
	if (stripeSecretKey && !/^(sk|rk)_(test|live)_/.test(stripeSecretKey)) {
		throw new ConfigError('STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_');
	}
	if (stripeWebhookSecret && !stripeWebhookSecret.startsWith('whsec_')) {
		throw new ConfigError('STRIPE_WEBHOOK_SECRET must start with whsec_');
	}

	const resendApiKey = nonEmpty(env.RESEND_API_KEY);
	const mailPostalAddress = nonEmpty(env.MAIL_POSTAL_ADDRESS);
	if (resendApiKey && !mailPostalAddress) {
		throw new ConfigError(
			'MAIL_POSTAL_ADDRESS is required when RESEND_API_KEY is set: every marketing mail must carry it'
		);
	}
	const resendWebhookSecret = nonEmpty(env.RESEND_WEBHOOK_SECRET);
	if (resendWebhookSecret && !resendWebhookSecret.startsWith('whsec_')) {
		throw new ConfigError('RESEND_WEBHOOK_SECRET must start with whsec_');
	}
	url('RESEND_BASE_URL', nonEmpty(env.RESEND_BASE_URL));

	const mailFrom = nonEmpty(env.MAIL_FROM) ?? 'course@localhost';
	const address = /<([^>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
	if (!EMAIL.test(address) || /[\r\n]/.test(mailFrom)) {
		throw new ConfigError(`MAIL_FROM must be an address such as "Course <course@example.com>", got "${mailFrom}"`);
	}

	const demoMode = flag('DEMO_MODE', env.DEMO_MODE);
	checkDemoMode(env, originUrl, stripeSecretKey, resendApiKey, demoMode);

	const adminEmails = new Set<string>();
	for (const raw of (env.ADMIN_EMAILS ?? '').split(',')) {
		const email = raw.trim().toLowerCase();
		if (!email) continue;
		if (!EMAIL.test(email)) throw new ConfigError(`ADMIN_EMAILS has an invalid address: "${raw.trim()}"`);
		adminEmails.add(email);
	}

	return {
		port,
		origin: originUrl.origin,
		databasePath: nonEmpty(env.DATABASE_PATH) ?? 'data/store.db',
		courseDir: nonEmpty(env.COURSE_DIR) ?? 'course',
		bodySizeLimit: bytes('BODY_SIZE_LIMIT', env.BODY_SIZE_LIMIT ?? DEFAULT_BODY_SIZE_LIMIT),
		stripeSecretKey,
		stripeWebhookSecret,
		stripeApiBase: url('STRIPE_API_BASE', nonEmpty(env.STRIPE_API_BASE)),
		resendApiKey,
		resendWebhookSecret,
		mailFrom,
		mailPostalAddress,
		adminEmails,
		dripIntervalSeconds: integer('DRIP_INTERVAL_SECONDS', env.DRIP_INTERVAL_SECONDS, 60, 0, 86_400),
		litestreamReplicaUrl: replicaUrl(nonEmpty(env.LITESTREAM_REPLICA_URL)),
		demoPayments: !stripeSecretKey,
		demoMail: !resendApiKey,
		demoMode,
		loopback: isLoopback(originUrl)
	};
}

let current: Config | undefined;

/** The configuration read at start-up (read on first use outside the server, e.g. in scripts). */
export function config(): Config {
	return (current ??= readConfig());
}
