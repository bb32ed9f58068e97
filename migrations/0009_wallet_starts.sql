CREATE TABLE `wallet_starts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`method` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`reference` text NOT NULL,
	`remind_consent` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "wallet_starts_method" CHECK("method" in ('bkash', 'nagad', 'rocket', 'bank'))
);
--> statement-breakpoint
CREATE INDEX `wallet_starts_email` ON `wallet_starts` (`email`);