CREATE TABLE `backups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file` text NOT NULL,
	`bytes` integer NOT NULL,
	`finished_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `demo_mailbox_owners` (
	`email` text PRIMARY KEY NOT NULL,
	`browser_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `demo_mailbox_owners_browser` ON `demo_mailbox_owners` (`browser_hash`);--> statement-breakpoint
CREATE INDEX `demo_mailbox_to` ON `demo_mailbox` (`to_email`);