CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`before` text,
	`after` text,
	`reason` text,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "audit_log_subject_type" CHECK("subject_type" in ('user', 'order', 'address', 'mail'))
);
--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE TABLE `visit_counts` (
	`day` text NOT NULL,
	`page` text NOT NULL,
	`source` text NOT NULL,
	`visitors` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `page`, `source`),
	CONSTRAINT "visit_counts_page" CHECK("page" in ('sales', 'free', 'checkout'))
);
--> statement-breakpoint
ALTER TABLE `enrolments` ADD `seller_revoked_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `reference` text;--> statement-breakpoint
CREATE INDEX `orders_buyer_email` ON `orders` (`buyer_email`);--> statement-breakpoint
CREATE INDEX `orders_created` ON `orders` (`created_at`);