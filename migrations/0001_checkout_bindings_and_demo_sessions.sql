CREATE TABLE `checkout_bindings` (
	`checkout_session_id` text PRIMARY KEY NOT NULL,
	`browser_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checkout_bindings_created` ON `checkout_bindings` (`created_at`);--> statement-breakpoint
CREATE TABLE `demo_checkout_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`email` text,
	`name` text,
	`payment_intent_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`completed_at` integer
);
