import { sql, type SQL } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex,
	type SQLiteColumn
} from 'drizzle-orm/sqlite-core';

// Times are milliseconds since the epoch (UTC); dates are rendered in the course's timezone.
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

// CHECKs name their column unqualified: drizzle-kit would qualify it with the name of the table it rebuilds.
const named = (column: SQLiteColumn): SQL => sql.identifier(column.name).getSQL();

/** A CHECK that the column holds one of values, so the database refuses a state that does not exist. */
function oneOf(column: SQLiteColumn, values: readonly string[]): SQL {
	return sql`${named(column)} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;
}

/** Currencies are stored the one way the catalogue spells them: ISO 4217 in capitals ("BDT"). */
function upperCase(column: SQLiteColumn): SQL {
	return sql`${named(column)} = upper(${named(column)})`;
}

/** Anyone who has signed in or bought: students, admins. Email is stored trimmed and lower-cased. */
export const users = sqliteTable(
	'users',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		email: text('email').notNull().unique(),
		name: text('name'),
		createdAt: integer('created_at').notNull().default(now)
	},
	// The desk finds students by the beginning of their name.
	(t) => [index('users_name').on(t.name)]
);

/** How an order was paid: Stripe Checkout, a wallet or bank transfer checked by the seller, or enrolled by hand. */
export const ORDER_METHODS = ['stripe', 'bkash', 'nagad', 'rocket', 'bank', 'manual'] as const;
export type OrderMethod = (typeof ORDER_METHODS)[number];

export const orders = sqliteTable(
	'orders',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		method: text('method', { enum: ORDER_METHODS }).notNull().default('stripe'),
		// Set for Stripe orders only; wallet and manual orders have none.
		checkoutSessionId: text('checkout_session_id').unique(),
		paymentIntentId: text('payment_intent_id'),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		amount: integer('amount').notNull(),
		currency: text('currency').notNull(),
		promotionCode: text('promotion_code'),
		buyerEmail: text('buyer_email').notNull(),
		buyerName: text('buyer_name'),
		livemode: integer('livemode', { mode: 'boolean' }).notNull().default(false),
		/** The seller's note of a payment made outside the store (a receipt number), for manual orders. */
		reference: text('reference'),
		/** The buyer's entry source (analytics/visits.ts) when the checkout started; null when unknown (manual, older). */
		source: text('source'),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [
		index('orders_payment_intent').on(t.paymentIntentId),
		index('orders_user').on(t.userId),
		// The desk's order list searches by buyer address, name (by its beginning) and reference, and totals sales by day.
		index('orders_buyer_email').on(t.buyerEmail),
		index('orders_buyer_name').on(t.buyerName),
		index('orders_reference').on(t.reference),
		index('orders_created').on(t.createdAt),
		// A method filter walks that method's orders newest first (the index ends with the id) instead of all of them.
		index('orders_method').on(t.method),
		check('orders_currency_upper', upperCase(t.currency)),
		check('orders_method', oneOf(t.method, ORDER_METHODS)),
		check('orders_stripe_session', sql`(${named(t.method)} = 'stripe') = (${named(t.checkoutSessionId)} is not null)`)
	]
);

export const ENROLMENT_STATUSES = ['active', 'revoked'] as const;

/** One per student: access to the course. Status is recomputed from the order and its payment state. */
export const enrolments = sqliteTable(
	'enrolments',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.unique()
			.references(() => users.id),
		orderId: integer('order_id').references(() => orders.id),
		status: text('status', { enum: ENROLMENT_STATUSES }).notNull().default('active'),
		revokedReason: text('revoked_reason'),
		// The seller can open every lesson at once for a student.
		allLessonsOpen: integer('all_lessons_open', { mode: 'boolean' }).notNull().default(false),
		/** Set while the seller has revoked access by hand: no payment event gives it back, only a restore. */
		sellerRevokedAt: integer('seller_revoked_at'),
		enrolledAt: integer('enrolled_at').notNull().default(now),
		updatedAt: integer('updated_at').notNull().default(now),
		/** The student's latest lesson view or completion, written with the progress; null until the first. */
		lastActiveAt: integer('last_active_at')
	},
	(t) => [
		index('enrolments_order').on(t.orderId),
		// The desk lists students by last activity (never active: since enrolment), paginated by this key.
		index('enrolments_last_active').on(sql`coalesce(${named(t.lastActiveAt)}, ${named(t.enrolledAt)})`, t.id),
		// The orders list filtered to revoked buyers starts from the few revoked ones, not from every order.
		index('enrolments_revoked')
			.on(t.userId)
			.where(sql`${named(t.status)} = 'revoked'`),
		check('enrolments_status', oneOf(t.status, ENROLMENT_STATUSES))
	]
);

/** What Stripe told us about a payment after it was made, kept even when it arrives before the order. */
export const paymentStates = sqliteTable('payment_states', {
	paymentIntentId: text('payment_intent_id').primaryKey(),
	refunded: integer('refunded', { mode: 'boolean' }).notNull().default(false),
	disputeStatus: text('dispute_status'),
	updatedAt: integer('updated_at').notNull().default(now)
});

export const stripeEvents = sqliteTable('stripe_events', {
	id: text('id').primaryKey(),
	type: text('type').notNull(),
	receivedAt: integer('received_at').notNull().default(now)
});

/** Things the seller must look at: amount mismatches, failed async payments. */
export const paymentIssues = sqliteTable(
	'payment_issues',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		checkoutSessionId: text('checkout_session_id').notNull(),
		kind: text('kind').notNull(),
		detail: text('detail').notNull(),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [uniqueIndex('payment_issues_session_kind').on(t.checkoutSessionId, t.kind)]
);

/**
 * Where a mail stands. pending: to be composed when due (or frozen in a batch that waits to be sent);
 * waiting: a sequence step composed when due that waits for a condition (a lesson to open, some progress), composed
 * again at due_at or when the student's progress changes; stopped: not sent because its sequence stopped or the
 * address unsubscribed, pending again if the sequence resumes before it is due; skipped: not sent, for good;
 * sent; failed (kept for the seller). last_error says why, for people.
 */
export const OUTBOX_STATUSES = ['pending', 'waiting', 'sent', 'failed', 'skipped', 'stopped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** The rows the sender composes next: due, not in a batch, pending or waiting (the partial index outbox_unbatched_due). */
export const UNBATCHED_DUE = sql`batch_id is null and status in ('pending', 'waiting')`;
/** The rows of batches (outbox_batch_lease): always pending, with a lease time (0 once released). */
export const BATCHED_PENDING = sql`batch_id is not null and status = 'pending'`;

/** Mail to send. The payload is composed at send time, so no secret (a sign-in token) sits here in clear. */
export const outbox = sqliteTable(
	'outbox',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		idempotencyKey: text('idempotency_key').notNull().unique(),
		template: text('template').notNull(),
		toEmail: text('to_email').notNull(),
		params: text('params').notNull().default('{}'),
		marketing: integer('marketing', { mode: 'boolean' }).notNull().default(false),
		status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		dueAt: integer('due_at').notNull().default(now),
		leaseUntil: integer('lease_until'),
		providerId: text('provider_id'),
		lastError: text('last_error'),
		createdAt: integer('created_at').notNull().default(now),
		sentAt: integer('sent_at'),
		/** The sequence run a sequence mail belongs to, so that stopping the run skips what it has not sent. */
		runId: integer('run_id'),
		/**
		 * Set when the row joins a provider batch, together with its frozen payload: a batch is always re-sent
		 * with the same rows, the same content and the same idempotency key, so a retry after a crash is a no-op.
		 */
		batchId: text('batch_id'),
		/** JSON of the composed mail while it waits to be sent (cleared once sent). */
		payload: text('payload'),
		/** Which scheduler holds the lease; a scheduler only records results for rows it still holds. */
		leaseOwner: text('lease_owner')
	},
	(t) => [
		index('outbox_due').on(t.status, t.dueAt),
		// Due rows not yet in a batch, in order: what the sender composes next.
		index('outbox_unbatched_due').on(t.dueAt).where(UNBATCHED_DUE),
		// Only rows in a batch are looked up by it: a row queued (a dozen a sale) costs these two indexes nothing.
		index('outbox_batch')
			.on(t.batchId)
			.where(sql`batch_id is not null`),
		// Batches to send again (their lease ran out, or they wait for a retry) are found without scanning due rows.
		index('outbox_batch_lease').on(t.leaseUntil).where(BATCHED_PENDING),
		index('outbox_run').on(t.runId),
		index('outbox_to').on(t.toEmail),
		// Resend's delivered and clicked events name a mail by the id Resend gave it.
		index('outbox_provider')
			.on(t.providerId)
			.where(sql`provider_id is not null`),
		// The list's per-step counts (sent, failed, skipped) read this index alone.
		index('outbox_template_status').on(t.template, t.status),
		check('outbox_status', oneOf(t.status, OUTBOX_STATUSES))
	]
);

/**
 * Large pieces shared by many frozen mails (a sequence step's body), stored once by their SHA-256: a frozen
 * payload refers to them, so a batch re-sent after a crash is byte for byte the same even if the files changed.
 */
export const mailParts = sqliteTable('mail_parts', {
	hash: text('hash').primaryKey(),
	content: text('content').notNull(),
	createdAt: integer('created_at').notNull().default(now)
});

/** Mails "sent" in demo mode, shown at /dev/mailbox. */
export const demoMailbox = sqliteTable(
	'demo_mailbox',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		toEmail: text('to_email').notNull(),
		subject: text('subject').notNull(),
		html: text('html').notNull(),
		text: text('text').notNull(),
		headers: text('headers').notNull().default('{}'),
		createdAt: integer('created_at').notNull().default(now),
		/** The outbox key: a batch re-sent after a crash does not show its mails twice. */
		idempotencyKey: text('idempotency_key').unique()
	},
	(t) => [index('demo_mailbox_to').on(t.toEmail)]
);

/**
 * DEMO_MODE=1: which browser gave an address first (a hash of its HttpOnly cookie). The demo mailbox shows a mail
 * only to the browser that owns its address, so a visitor of a public demo reads no one else's sign-in links.
 */
export const demoMailboxOwners = sqliteTable(
	'demo_mailbox_owners',
	{
		email: text('email').primaryKey(),
		browserHash: text('browser_hash').notNull(),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [index('demo_mailbox_owners_browser').on(t.browserHash)]
);

/** One sign-in request: a link and, when a browser asked for it, a code typed in that browser. Either spends the row. */
export const loginTokens = sqliteTable(
	'login_tokens',
	{
		tokenHash: text('token_hash').primaryKey(),
		email: text('email').notNull(),
		next: text('next'),
		expiresAt: integer('expires_at').notNull(),
		createdAt: integer('created_at').notNull().default(now),
		/** SHA-256 of the HttpOnly cookie of the browser that asked (or bought): only it may type the code. */
		browserHash: text('browser_hash'),
		/** HMAC of the 6-digit code (see auth/sign-in-code.ts); null when the mail carries no code. */
		codeHash: text('code_hash'),
		/** Wrong codes typed for this request; at five the request is over, link included. */
		codeAttempts: integer('code_attempts').notNull().default(0)
	},
	// Expired requests are swept on every sign-in request.
	(t) => [index('login_tokens_browser').on(t.browserHash), index('login_tokens_expires').on(t.expiresAt)]
);

export const sessions = sqliteTable(
	'sessions',
	{
		idHash: text('id_hash').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: integer('expires_at').notNull(),
		createdAt: integer('created_at').notNull().default(now)
	},
	// Expired sessions are swept on every sign-in.
	(t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)]
);

/** Hits per bucket ("login-email:x", "login-ip:y"), counted over a sliding window; kept in SQLite to survive restarts. */
export const rateLimitHits = sqliteTable(
	'rate_limit_hits',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		bucket: text('bucket').notNull(),
		at: integer('at').notNull()
	},
	(t) => [index('rate_limit_hits_bucket_at').on(t.bucket, t.at)]
);

export const progress = sqliteTable(
	'progress',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lessonSlug: text('lesson_slug').notNull(),
		firstViewedAt: integer('first_viewed_at').notNull(),
		lastViewedAt: integer('last_viewed_at').notNull(),
		completedAt: integer('completed_at')
	},
	(t) => [primaryKey({ columns: [t.userId, t.lessonSlug] })]
);

export const certificates = sqliteTable('certificates', {
	id: text('id').primaryKey(),
	userId: integer('user_id')
		.notNull()
		.unique()
		.references(() => users.id, { onDelete: 'cascade' }),
	completedAt: integer('completed_at').notNull()
});

/** Server-wide values generated once, such as the key that signs demo webhooks. */
export const settings = sqliteTable('settings', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});

/** Which browser started a checkout: only a hash of the HttpOnly cookie set at POST /checkout is kept. */
export const checkoutBindings = sqliteTable(
	'checkout_bindings',
	{
		checkoutSessionId: text('checkout_session_id').primaryKey(),
		browserHash: text('browser_hash').notNull(),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [index('checkout_bindings_created').on(t.createdAt)]
);

export const DEMO_CHECKOUT_STATUSES = ['open', 'complete'] as const;

/** Demo payments: the checkout sessions that the local demo checkout keeps in place of Stripe's. */
export const demoCheckoutSessions = sqliteTable(
	'demo_checkout_sessions',
	{
		id: text('id').primaryKey(),
		courseId: text('course_id').notNull(),
		amount: integer('amount').notNull(),
		currency: text('currency').notNull(),
		status: text('status', { enum: DEMO_CHECKOUT_STATUSES }).notNull().default('open'),
		email: text('email'),
		name: text('name'),
		paymentIntentId: text('payment_intent_id'),
		/** The buyer's entry source, as a Stripe session carries it in its metadata. */
		source: text('source'),
		createdAt: integer('created_at').notNull().default(now),
		completedAt: integer('completed_at')
	},
	(t) => [
		check('demo_checkout_sessions_status', oneOf(t.status, DEMO_CHECKOUT_STATUSES)),
		check('demo_checkout_sessions_currency_upper', upperCase(t.currency))
	]
);

export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;

/**
 * A CSV file of addresses the seller brought from another list (Mailchimp, Kit): its name, who imported it and
 * when. Nobody it added gets mail until the seller starts a sequence for the import (sequence_started_at).
 */
export const subscriberImports = sqliteTable('subscriber_imports', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	fileName: text('file_name').notNull(),
	added: integer('added').notNull(),
	actor: text('actor').notNull(),
	createdAt: integer('created_at').notNull().default(now),
	sequenceStartedAt: integer('sequence_started_at')
});

/**
 * The email list. One row per address, with the evidence of the consent it is mailed under:
 * when and where the form was sent, from which IP and browser, which consent sentence it showed, and when it was confirmed.
 */
export const subscribers = sqliteTable(
	'subscribers',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		email: text('email').notNull().unique(),
		name: text('name'),
		status: text('status', { enum: SUBSCRIBER_STATUSES }).notNull().default('pending'),
		consentAt: integer('consent_at').notNull(),
		consentPage: text('consent_page').notNull(),
		consentForm: text('consent_form').notNull(),
		consentIp: text('consent_ip'),
		consentUserAgent: text('consent_user_agent'),
		consentTextVersion: text('consent_text_version').notNull(),
		confirmedAt: integer('confirmed_at'),
		confirmedIp: text('confirmed_ip'),
		confirmedUserAgent: text('confirmed_user_agent'),
		unsubscribedAt: integer('unsubscribed_at'),
		/** SHA-256 of the newest confirmation link's token; the token itself exists only in the mail. */
		confirmTokenHash: text('confirm_token_hash'),
		confirmTokenExpiresAt: integer('confirm_token_expires_at'),
		/** When the last confirmation mail was queued: at most one an hour. */
		confirmQueuedAt: integer('confirm_queued_at'),
		/** The CSV import that added the address (consent_form 'import'); null for a signup. */
		importId: integer('import_id').references(() => subscriberImports.id),
		/** The signer's entry source (analytics/visits.ts) when the row was created; null when unknown (imported, older). */
		source: text('source'),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [
		index('subscribers_confirm_token').on(t.confirmTokenHash),
		// The desk's list: counts and pages by status, by source (the form) and by import, newest first by id.
		index('subscribers_status').on(t.status),
		index('subscribers_source').on(t.consentForm),
		index('subscribers_import').on(t.importId),
		// The desk's funnel counts signups and confirmations since a date.
		index('subscribers_created').on(t.createdAt),
		// With the status, a week's confirmations are counted from the index alone.
		index('subscribers_confirmed').on(t.confirmedAt, t.status),
		check('subscribers_status', oneOf(t.status, SUBSCRIBER_STATUSES))
	]
);

export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained'] as const;

/**
 * Addresses that must not get some mail. `unsubscribed` stops marketing; `bounced` and `complained` stop
 * every mail, transactional ones included. One row per address and reason, so a repeated event changes nothing.
 */
export const suppressions = sqliteTable(
	'suppressions',
	{
		email: text('email').notNull(),
		reason: text('reason', { enum: SUPPRESSION_REASONS }).notNull(),
		detail: text('detail'),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [
		primaryKey({ columns: [t.email, t.reason] }),
		index('suppressions_by_reason').on(t.reason),
		check('suppressions_reason', oneOf(t.reason, SUPPRESSION_REASONS))
	]
);

export const SEQUENCE_RUN_STATUSES = ['active', 'stopped'] as const;

/** One address going through one sequence (course/emails/<sequence>/); its mails are queued when it starts. */
export const sequenceRuns = sqliteTable(
	'sequence_runs',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sequence: text('sequence').notNull(),
		email: text('email').notNull(),
		userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
		startedAt: integer('started_at').notNull(),
		status: text('status', { enum: SEQUENCE_RUN_STATUSES }).notNull().default('active'),
		stoppedReason: text('stopped_reason'),
		stoppedAt: integer('stopped_at')
	},
	(t) => [
		uniqueIndex('sequence_runs_sequence_email').on(t.sequence, t.email),
		// A suppression stops every run of an address; a change of progress looks at a student's runs.
		index('sequence_runs_email').on(t.email),
		index('sequence_runs_user').on(t.userId),
		check('sequence_runs_status', oneOf(t.status, SEQUENCE_RUN_STATUSES))
	]
);

/** Resend webhook deliveries already handled (by their svix-id): a repeated delivery does nothing. */
export const resendEvents = sqliteTable('resend_events', {
	id: text('id').primaryKey(),
	type: text('type').notNull(),
	receivedAt: integer('received_at').notNull().default(now)
});

/** Every `npm run backup` that finished with a copy that passed its integrity check. */
export const backups = sqliteTable('backups', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	file: text('file').notNull(),
	bytes: integer('bytes').notNull(),
	finishedAt: integer('finished_at').notNull().default(now)
});

export const WALLET_CLAIM_METHODS = ['bkash', 'nagad', 'rocket', 'bank'] as const;
/** pending: waiting for the seller or an SMS; approved: an order exists; rejected; revoked: approved, then taken back. */
export const WALLET_CLAIM_STATUSES = ['pending', 'approved', 'rejected', 'revoked'] as const;
export type WalletClaimStatus = (typeof WALLET_CLAIM_STATUSES)[number];

/**
 * A buyer's word that they sent money by a wallet or bank transfer, with the transaction id from their SMS.
 * A TrxID is claimed once per method, ever (the unique index): a rejected claim keeps its TrxID used.
 */
export const walletClaims = sqliteTable(
	'wallet_claims',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		method: text('method', { enum: WALLET_CLAIM_METHODS }).notNull(),
		trxId: text('trx_id').notNull(),
		/** What the page asked the buyer to send (price and fee), in poisha. */
		amount: integer('amount').notNull(),
		sender: text('sender').notNull(),
		email: text('email').notNull(),
		name: text('name'),
		/** The short code the page asked the buyer to put in the transfer's reference field. */
		reference: text('reference').notNull(),
		/** SHA-256 of the claiming browser's sign-in cookie: the welcome mail's code works there. */
		browserHash: text('browser_hash'),
		/** The buyer's entry source when they claimed, for the order it becomes. */
		source: text('source'),
		status: text('status', { enum: WALLET_CLAIM_STATUSES }).notNull().default('pending'),
		/** Why it was rejected or revoked, as mailed to the buyer. */
		reason: text('reason'),
		orderId: integer('order_id').references(() => orders.id),
		/** The admin's address, or "sms" / "statement" when a message or a statement row approved it. */
		decidedBy: text('decided_by'),
		decidedAt: integer('decided_at'),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [
		uniqueIndex('wallet_claims_method_trx').on(t.method, t.trxId),
		index('wallet_claims_status_created').on(t.status, t.createdAt),
		index('wallet_claims_email').on(t.email),
		check('wallet_claims_method', oneOf(t.method, WALLET_CLAIM_METHODS)),
		check('wallet_claims_status', oneOf(t.status, WALLET_CLAIM_STATUSES)),
		check('wallet_claims_trx_upper', upperCase(t.trxId)),
		check(
			'wallet_claims_order',
			sql`(${named(t.status)} in ('approved', 'revoked')) = (${named(t.orderId)} is not null)`
		)
	]
);

/**
 * A wallet payment left unfinished: the /pay/<method> form sent with an email but no claim recorded. Kept for the
 * one reminder with the payment details (course/emails/recovery/wallet.md), with the buyer's tick asking for it.
 */
export const walletStarts = sqliteTable(
	'wallet_starts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		method: text('method', { enum: WALLET_CLAIM_METHODS }).notNull(),
		email: text('email').notNull(),
		name: text('name'),
		/** The reference code the page showed, so the reminder repeats the same one. */
		reference: text('reference').notNull(),
		/** The buyer ticked "remind me once" on the page (unticked by default). */
		remindConsent: integer('remind_consent', { mode: 'boolean' }).notNull().default(false),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [
		index('wallet_starts_email').on(t.email),
		check('wallet_starts_method', oneOf(t.method, WALLET_CLAIM_METHODS))
	]
);

/**
 * Every SMS the seller's phone forwarded (POST /api/payments/sms), parsed or not: kept for the seller, and matched
 * against claims by method and TrxID. The same message forwarded twice is stored once (its digest).
 */
export const walletMessages = sqliteTable(
	'wallet_messages',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		digest: text('digest').notNull().unique(),
		sender: text('sender').notNull(),
		text: text('text').notNull(),
		receivedAt: text('received_at').notNull(),
		/** Parsed from the text; all null when it is not a received-money message we read. */
		method: text('method', { enum: WALLET_CLAIM_METHODS }),
		trxId: text('trx_id'),
		amount: integer('amount'),
		fromNumber: text('from_number'),
		sentAt: text('sent_at'),
		/** The claim it approved or matched. */
		claimId: integer('claim_id').references(() => walletClaims.id),
		/** Why it approved nothing (wrong amount, no claim yet), for the seller. */
		note: text('note'),
		createdAt: integer('created_at').notNull().default(now)
	},
	(t) => [
		index('wallet_messages_method_trx').on(t.method, t.trxId),
		index('wallet_messages_claim').on(t.claimId),
		check('wallet_messages_method', oneOf(t.method, WALLET_CLAIM_METHODS))
	]
);

export const AUDIT_SUBJECTS = ['user', 'order', 'address', 'mail'] as const;

/** Every change made from the seller's dashboard: who made it, what, to which record, and its state before and after. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		actor: text('actor').notNull(),
		action: text('action').notNull(),
		subjectType: text('subject_type', { enum: AUDIT_SUBJECTS }).notNull(),
		subjectId: text('subject_id').notNull(),
		/** JSON of the fields the action changed, as they were and as they became. */
		before: text('before'),
		after: text('after'),
		reason: text('reason'),
		at: integer('at').notNull().default(now)
	},
	(t) => [
		index('audit_log_subject').on(t.subjectType, t.subjectId),
		check('audit_log_subject_type', oneOf(t.subjectType, AUDIT_SUBJECTS))
	]
);

export const VISIT_PAGES = ['sales', 'free', 'checkout'] as const;

/**
 * Visitors counted without cookies and without addresses: per local day (YYYY-MM-DD in the course's timezone),
 * page (the sales page, a free lesson, a checkout started) and source (utm_source or the referrer's host).
 */
export const visitCounts = sqliteTable(
	'visit_counts',
	{
		day: text('day').notNull(),
		page: text('page', { enum: VISIT_PAGES }).notNull(),
		source: text('source').notNull(),
		visitors: integer('visitors').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.day, t.page, t.source] }), check('visit_counts_page', oneOf(t.page, VISIT_PAGES))]
);

/**
 * draft: written on /admin, not confirmed; scheduled: goes out at send_at (cancellable until then); queuing: its
 * recipients are being written to the outbox; queued: every recipient has an outbox row; cancelled.
 */
export const BROADCAST_STATUSES = ['draft', 'scheduled', 'queuing', 'queued', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** A one-off mail to a segment of the list: a file in course/emails/broadcasts/, or written on /admin/broadcasts. */
export const broadcasts = sqliteTable(
	'broadcasts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** The file's name without .md for a file broadcast; null for one written on /admin. */
		file: text('file').unique(),
		subject: text('subject').notNull(),
		markdown: text('markdown').notNull(),
		/** As written in the front matter, e.g. "subscribers" or "students_inactive_days: 14" (broadcasts/segments.ts). */
		segment: text('segment').notNull(),
		status: text('status', { enum: BROADCAST_STATUSES }).notNull().default('draft'),
		sendAt: integer('send_at'),
		/** Where queuing stopped: the segment part and the last address written, so a restart goes on from there. */
		cursor: text('cursor'),
		/** Outbox rows written for it, once queued. */
		recipients: integer('recipients'),
		createdBy: text('created_by'),
		createdAt: integer('created_at').notNull().default(now),
		startedAt: integer('started_at'),
		queuedAt: integer('queued_at'),
		cancelledAt: integer('cancelled_at')
	},
	(t) => [
		index('broadcasts_status_send_at').on(t.status, t.sendAt),
		check('broadcasts_status', oneOf(t.status, BROADCAST_STATUSES))
	]
);

export const MAIL_EVENT_TYPES = ['delivered', 'clicked'] as const;

/** Resend's email.delivered and email.clicked, once per mail (its provider id) and type: the broadcast's counts. */
export const mailEvents = sqliteTable(
	'mail_events',
	{
		providerId: text('provider_id').notNull(),
		type: text('type', { enum: MAIL_EVENT_TYPES }).notNull(),
		at: integer('at').notNull().default(now)
	},
	(t) => [primaryKey({ columns: [t.providerId, t.type] }), check('mail_events_type', oneOf(t.type, MAIL_EVENT_TYPES))]
);

// Stored totals for the desk's overview, kept exact by triggers on the rows they count (migration 0013),
// so that the overview sums a few rows instead of whole tables at 200,000 subscribers and 100,000 orders.

/** Subscribers per status. */
export const listCounts = sqliteTable('list_counts', {
	status: text('status').primaryKey(),
	n: integer('n').notNull()
});

/** Enrolments per status. */
export const enrolmentCounts = sqliteTable('enrolment_counts', {
	status: text('status').primaryKey(),
	n: integer('n').notNull()
});

/** Per lesson: done progress rows of students whose enrolment is active. */
export const lessonCompletions = sqliteTable('lesson_completions', {
	lessonSlug: text('lesson_slug').primaryKey(),
	n: integer('n').notNull()
});

/** Orders per 15 minutes of their time (UTC ms, floored), so any zone's local days (+5:30, +5:45, +6) sum exactly. */
export const salesBuckets = sqliteTable(
	'sales_buckets',
	{
		bucket: integer('bucket').notNull(),
		currency: text('currency').notNull(),
		method: text('method').notNull(),
		/** Every order, refunded ones included. */
		orders: integer('orders').notNull(),
		/** Orders not refunded, and their amounts (minor unit): the sales net of refunds. */
		sales: integer('sales').notNull(),
		revenue: integer('revenue').notNull(),
		refunded: integer('refunded').notNull()
	},
	(t) => [primaryKey({ columns: [t.bucket, t.currency, t.method] })]
);

/** The same as sales_buckets per local day of the store's zone (sales_day_zone), so a period reads a few rows. */
export const salesDays = sqliteTable(
	'sales_days',
	{
		/** The local midnight that starts the day, as UTC ms. */
		day: integer('day').notNull(),
		currency: text('currency').notNull(),
		method: text('method').notNull(),
		orders: integer('orders').notNull(),
		sales: integer('sales').notNull(),
		revenue: integer('revenue').notNull(),
		refunded: integer('refunded').notNull()
	},
	(t) => [primaryKey({ columns: [t.day, t.currency, t.method] })]
);

/**
 * Subscribers per local day of the store's zone (sales_day_zone, as sales_days): signups by the day of created_at,
 * confirmations by the day of confirmed_at, and of those the ones still confirmed; so the funnel reads a few rows.
 */
export const subscriberDays = sqliteTable('subscriber_days', {
	/** The local midnight that starts the day, as UTC ms. */
	day: integer('day').primaryKey(),
	signups: integer('signups').notNull(),
	confirmations: integer('confirmations').notNull(),
	/** Confirmations whose subscriber is confirmed now (not unsubscribed since). */
	stillConfirmed: integer('still_confirmed').notNull()
});

/**
 * The funnel by source, kept by triggers as subscriber_days and sales_days are (same days): signups, confirmations and
 * orders per local day and entry source; rows with no source (imported, manual, older than this table) under '(unknown)'.
 */
export const sourceDays = sqliteTable(
	'source_days',
	{
		/** The local midnight that starts the day, as UTC ms. */
		day: integer('day').notNull(),
		source: text('source').notNull(),
		signups: integer('signups').notNull(),
		confirmations: integer('confirmations').notNull(),
		/** Every order, refunded ones included, as the funnel's purchases. */
		purchases: integer('purchases').notNull()
	},
	(t) => [primaryKey({ columns: [t.day, t.source] })]
);

/** One row: the zone offset (ms ahead of UTC) that sales_days' days were cut with; the server sets it at start. */
export const salesDayZone = sqliteTable('sales_day_zone', {
	id: integer('id').primaryKey(),
	offsetMs: integer('offset_ms').notNull()
});

/** The same as sales_buckets for all time, per currency and method. */
export const salesTotals = sqliteTable(
	'sales_totals',
	{
		currency: text('currency').notNull(),
		method: text('method').notNull(),
		orders: integer('orders').notNull(),
		sales: integer('sales').notNull(),
		revenue: integer('revenue').notNull(),
		refunded: integer('refunded').notNull()
	},
	(t) => [primaryKey({ columns: [t.currency, t.method] })]
);
