CREATE TABLE `wallet_claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`method` text NOT NULL,
	`trx_id` text NOT NULL,
	`amount` integer NOT NULL,
	`sender` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`reference` text NOT NULL,
	`browser_hash` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`order_id` integer,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "wallet_claims_method" CHECK("method" in ('bkash', 'nagad', 'rocket', 'bank')),
	CONSTRAINT "wallet_claims_status" CHECK("status" in ('pending', 'approved', 'rejected', 'revoked')),
	CONSTRAINT "wallet_claims_trx_upper" CHECK("trx_id" = upper("trx_id")),
	CONSTRAINT "wallet_claims_order" CHECK(("status" in ('approved', 'revoked')) = ("order_id" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_claims_method_trx` ON `wallet_claims` (`method`,`trx_id`);--> statement-breakpoint
CREATE INDEX `wallet_claims_status_created` ON `wallet_claims` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `wallet_claims_email` ON `wallet_claims` (`email`);--> statement-breakpoint
CREATE TABLE `wallet_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`digest` text NOT NULL,
	`sender` text NOT NULL,
	`text` text NOT NULL,
	`received_at` text NOT NULL,
	`method` text,
	`trx_id` text,
	`amount` integer,
	`from_number` text,
	`sent_at` text,
	`claim_id` integer,
	`note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `wallet_claims`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "wallet_messages_method" CHECK("method" in ('bkash', 'nagad', 'rocket', 'bank'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wallet_messages_digest_unique` ON `wallet_messages` (`digest`);--> statement-breakpoint
CREATE INDEX `wallet_messages_method_trx` ON `wallet_messages` (`method`,`trx_id`);--> statement-breakpoint
CREATE INDEX `wallet_messages_claim` ON `wallet_messages` (`claim_id`);