-- Added by hand (drizzle-kit writes no data changes): rows are brought to the states the new CHECKs accept,
-- and the outbox's waiting and stopped mails, told apart until now by the text of last_error, get their status.
UPDATE `orders` SET `currency` = upper(`currency`);--> statement-breakpoint
UPDATE `demo_checkout_sessions` SET `currency` = upper(`currency`);--> statement-breakpoint
UPDATE `outbox` SET `status` = 'waiting' WHERE `status` = 'pending' AND `batch_id` IS NULL AND `last_error` LIKE 'waiting for%';--> statement-breakpoint
UPDATE `outbox` SET `status` = 'stopped' WHERE `status` = 'skipped' AND `batch_id` IS NULL
	AND ((`last_error` LIKE 'sequence stopped%' AND `last_error` != 'sequence stopped: no run') OR `last_error` = 'suppressed: unsubscribed');--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`idempotency_key` text NOT NULL,
	`template` text NOT NULL,
	`to_email` text NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`marketing` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`due_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`lease_until` integer,
	`provider_id` text,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	`run_id` integer,
	`batch_id` text,
	`payload` text,
	`lease_owner` text,
	CONSTRAINT "outbox_status" CHECK("status" in ('pending', 'waiting', 'sent', 'failed', 'skipped', 'stopped'))
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "idempotency_key", "template", "to_email", "params", "marketing", "status", "attempts", "due_at", "lease_until", "provider_id", "last_error", "created_at", "sent_at", "run_id", "batch_id", "payload", "lease_owner") SELECT "id", "idempotency_key", "template", "to_email", "params", "marketing", "status", "attempts", "due_at", "lease_until", "provider_id", "last_error", "created_at", "sent_at", "run_id", "batch_id", "payload", "lease_owner" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `outbox_unbatched_due` ON `outbox` (`due_at`) WHERE batch_id is null and status in ('pending', 'waiting');--> statement-breakpoint
CREATE INDEX `outbox_batch` ON `outbox` (`batch_id`);--> statement-breakpoint
CREATE INDEX `outbox_batch_lease` ON `outbox` (`lease_until`) WHERE batch_id is not null and status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_run` ON `outbox` (`run_id`);--> statement-breakpoint
CREATE INDEX `outbox_to` ON `outbox` (`to_email`);--> statement-breakpoint
-- Added by hand: enrolments refers to orders, so its rows wait in a stash while orders is rebuilt below. Migrations
-- run in one transaction, where PRAGMA foreign_keys=OFF does nothing, and dropping orders under them would fail.
CREATE TABLE `__enrolments_stash` AS SELECT * FROM `enrolments`;--> statement-breakpoint
DROP TABLE `enrolments`;--> statement-breakpoint
CREATE INDEX `login_tokens_expires` ON `login_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `__new_sequence_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sequence` text NOT NULL,
	`email` text NOT NULL,
	`user_id` integer,
	`started_at` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`stopped_reason` text,
	`stopped_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sequence_runs_status" CHECK("status" in ('active', 'stopped'))
);
--> statement-breakpoint
INSERT INTO `__new_sequence_runs`("id", "sequence", "email", "user_id", "started_at", "status", "stopped_reason", "stopped_at") SELECT "id", "sequence", "email", "user_id", "started_at", "status", "stopped_reason", "stopped_at" FROM `sequence_runs`;--> statement-breakpoint
DROP TABLE `sequence_runs`;--> statement-breakpoint
ALTER TABLE `__new_sequence_runs` RENAME TO `sequence_runs`;--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_runs_sequence_email` ON `sequence_runs` (`sequence`,`email`);--> statement-breakpoint
CREATE INDEX `sequence_runs_email` ON `sequence_runs` (`email`);--> statement-breakpoint
CREATE INDEX `sequence_runs_user` ON `sequence_runs` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `__new_demo_checkout_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`email` text,
	`name` text,
	`payment_intent_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`completed_at` integer,
	CONSTRAINT "demo_checkout_sessions_status" CHECK("status" in ('open', 'complete')),
	CONSTRAINT "demo_checkout_sessions_currency_upper" CHECK("currency" = upper("currency"))
);
--> statement-breakpoint
INSERT INTO `__new_demo_checkout_sessions`("id", "course_id", "amount", "currency", "status", "email", "name", "payment_intent_id", "created_at", "completed_at") SELECT "id", "course_id", "amount", "currency", "status", "email", "name", "payment_intent_id", "created_at", "completed_at" FROM `demo_checkout_sessions`;--> statement-breakpoint
DROP TABLE `demo_checkout_sessions`;--> statement-breakpoint
ALTER TABLE `__new_demo_checkout_sessions` RENAME TO `demo_checkout_sessions`;--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`checkout_session_id` text NOT NULL,
	`payment_intent_id` text,
	`user_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`promotion_code` text,
	`buyer_email` text NOT NULL,
	`buyer_name` text,
	`livemode` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "orders_currency_upper" CHECK("currency" = upper("currency"))
);
--> statement-breakpoint
INSERT INTO `__new_orders`("id", "checkout_session_id", "payment_intent_id", "user_id", "amount", "currency", "promotion_code", "buyer_email", "buyer_name", "livemode", "created_at") SELECT "id", "checkout_session_id", "payment_intent_id", "user_id", "amount", "currency", "promotion_code", "buyer_email", "buyer_name", "livemode", "created_at" FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_checkout_session_id_unique` ON `orders` (`checkout_session_id`);--> statement-breakpoint
CREATE INDEX `orders_payment_intent` ON `orders` (`payment_intent_id`);--> statement-breakpoint
CREATE INDEX `orders_user` ON `orders` (`user_id`);--> statement-breakpoint
CREATE TABLE `__new_enrolments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`order_id` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`revoked_reason` text,
	`all_lessons_open` integer DEFAULT false NOT NULL,
	`enrolled_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrolments_status" CHECK("status" in ('active', 'revoked'))
);
--> statement-breakpoint
INSERT INTO `__new_enrolments`("id", "user_id", "order_id", "status", "revoked_reason", "all_lessons_open", "enrolled_at", "updated_at") SELECT "id", "user_id", "order_id", "status", "revoked_reason", "all_lessons_open", "enrolled_at", "updated_at" FROM `__enrolments_stash`;--> statement-breakpoint
DROP TABLE `__enrolments_stash`;--> statement-breakpoint
ALTER TABLE `__new_enrolments` RENAME TO `enrolments`;--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_user_id_unique` ON `enrolments` (`user_id`);--> statement-breakpoint
CREATE INDEX `enrolments_order` ON `enrolments` (`order_id`);--> statement-breakpoint
CREATE TABLE `__new_subscribers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`consent_at` integer NOT NULL,
	`consent_page` text NOT NULL,
	`consent_form` text NOT NULL,
	`consent_ip` text,
	`consent_user_agent` text,
	`consent_text_version` text NOT NULL,
	`confirmed_at` integer,
	`confirmed_ip` text,
	`confirmed_user_agent` text,
	`unsubscribed_at` integer,
	`confirm_token_hash` text,
	`confirm_token_expires_at` integer,
	`confirm_queued_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "subscribers_status" CHECK("status" in ('pending', 'confirmed', 'unsubscribed'))
);
--> statement-breakpoint
INSERT INTO `__new_subscribers`("id", "email", "name", "status", "consent_at", "consent_page", "consent_form", "consent_ip", "consent_user_agent", "consent_text_version", "confirmed_at", "confirmed_ip", "confirmed_user_agent", "unsubscribed_at", "confirm_token_hash", "confirm_token_expires_at", "confirm_queued_at", "created_at") SELECT "id", "email", "name", "status", "consent_at", "consent_page", "consent_form", "consent_ip", "consent_user_agent", "consent_text_version", "confirmed_at", "confirmed_ip", "confirmed_user_agent", "unsubscribed_at", "confirm_token_hash", "confirm_token_expires_at", "confirm_queued_at", "created_at" FROM `subscribers`;--> statement-breakpoint
DROP TABLE `subscribers`;--> statement-breakpoint
ALTER TABLE `__new_subscribers` RENAME TO `subscribers`;--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_email_unique` ON `subscribers` (`email`);--> statement-breakpoint
CREATE INDEX `subscribers_confirm_token` ON `subscribers` (`confirm_token_hash`);--> statement-breakpoint
CREATE TABLE `__new_suppressions` (
	`email` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`email`, `reason`),
	CONSTRAINT "suppressions_reason" CHECK("reason" in ('unsubscribed', 'bounced', 'complained'))
);
--> statement-breakpoint
INSERT INTO `__new_suppressions`("email", "reason", "detail", "created_at") SELECT "email", "reason", "detail", "created_at" FROM `suppressions`;--> statement-breakpoint
DROP TABLE `suppressions`;--> statement-breakpoint
ALTER TABLE `__new_suppressions` RENAME TO `suppressions`;