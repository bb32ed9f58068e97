CREATE TABLE `mail_parts` (
	`hash` text PRIMARY KEY NOT NULL,
	`content` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `resend_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sequence_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sequence` text NOT NULL,
	`email` text NOT NULL,
	`user_id` integer,
	`started_at` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`stopped_reason` text,
	`stopped_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_runs_sequence_email` ON `sequence_runs` (`sequence`,`email`);--> statement-breakpoint
CREATE TABLE `subscribers` (
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
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_email_unique` ON `subscribers` (`email`);--> statement-breakpoint
CREATE INDEX `subscribers_confirm_token` ON `subscribers` (`confirm_token_hash`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`email` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`email`, `reason`)
);
--> statement-breakpoint
ALTER TABLE `demo_mailbox` ADD `idempotency_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `demo_mailbox_idempotency_key_unique` ON `demo_mailbox` (`idempotency_key`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `run_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `batch_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `payload` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `lease_owner` text;--> statement-breakpoint
CREATE INDEX `outbox_unbatched_due` ON `outbox` (`due_at`) WHERE batch_id is null and status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_batch` ON `outbox` (`batch_id`);--> statement-breakpoint
CREATE INDEX `outbox_batch_lease` ON `outbox` (`lease_until`) WHERE batch_id is not null and status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_run` ON `outbox` (`run_id`);--> statement-breakpoint
CREATE INDEX `outbox_to` ON `outbox` (`to_email`);