-- Added by hand: enrolments refers to orders, so its rows wait in a stash while orders is rebuilt (as in 0005).
CREATE TABLE `__enrolments_stash` AS SELECT * FROM `enrolments`;--> statement-breakpoint
DROP TABLE `enrolments`;--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`method` text DEFAULT 'stripe' NOT NULL,
	`checkout_session_id` text,
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
	CONSTRAINT "orders_currency_upper" CHECK("currency" = upper("currency")),
	CONSTRAINT "orders_method" CHECK("method" in ('stripe', 'bkash', 'nagad', 'rocket', 'bank', 'manual')),
	CONSTRAINT "orders_stripe_session" CHECK(("method" = 'stripe') = ("checkout_session_id" is not null))
);
--> statement-breakpoint
INSERT INTO `__new_orders`("id", "method", "checkout_session_id", "payment_intent_id", "user_id", "amount", "currency", "promotion_code", "buyer_email", "buyer_name", "livemode", "created_at") SELECT "id", 'stripe', "checkout_session_id", "payment_intent_id", "user_id", "amount", "currency", "promotion_code", "buyer_email", "buyer_name", "livemode", "created_at" FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_checkout_session_id_unique` ON `orders` (`checkout_session_id`);--> statement-breakpoint
CREATE INDEX `orders_payment_intent` ON `orders` (`payment_intent_id`);--> statement-breakpoint
CREATE INDEX `orders_user` ON `orders` (`user_id`);--> statement-breakpoint
CREATE TABLE `enrolments` (
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
INSERT INTO `enrolments` SELECT * FROM `__enrolments_stash`;--> statement-breakpoint
DROP TABLE `__enrolments_stash`;--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_user_id_unique` ON `enrolments` (`user_id`);--> statement-breakpoint
CREATE INDEX `enrolments_order` ON `enrolments` (`order_id`);
