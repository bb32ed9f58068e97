CREATE TABLE `broadcasts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file` text,
	`subject` text NOT NULL,
	`markdown` text NOT NULL,
	`segment` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`send_at` integer,
	`cursor` text,
	`recipients` integer,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`queued_at` integer,
	`cancelled_at` integer,
	CONSTRAINT "broadcasts_status" CHECK("status" in ('draft', 'scheduled', 'queuing', 'queued', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `broadcasts_file_unique` ON `broadcasts` (`file`);--> statement-breakpoint
CREATE INDEX `broadcasts_status_send_at` ON `broadcasts` (`status`,`send_at`);--> statement-breakpoint
CREATE TABLE `mail_events` (
	`provider_id` text NOT NULL,
	`type` text NOT NULL,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`provider_id`, `type`),
	CONSTRAINT "mail_events_type" CHECK("type" in ('delivered', 'clicked'))
);
--> statement-breakpoint
CREATE INDEX `outbox_provider` ON `outbox` (`provider_id`);