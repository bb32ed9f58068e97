ALTER TABLE `enrolments` ADD `last_active_at` integer;--> statement-breakpoint
CREATE INDEX `enrolments_last_active` ON `enrolments` (coalesce("last_active_at", "enrolled_at"),`id`);--> statement-breakpoint
-- Hand-written: drizzle-kit quotes an expression index's expression as a name, and a backfill is not a schema change.
UPDATE `enrolments` SET `last_active_at` = (SELECT max(`p`.`last_viewed_at`) FROM `progress` `p` WHERE `p`.`user_id` = `enrolments`.`user_id`);--> statement-breakpoint
CREATE INDEX `orders_buyer_name` ON `orders` (`buyer_name`);--> statement-breakpoint
CREATE INDEX `orders_reference` ON `orders` (`reference`);--> statement-breakpoint
CREATE INDEX `subscribers_created` ON `subscribers` (`created_at`);--> statement-breakpoint
CREATE INDEX `subscribers_confirmed` ON `subscribers` (`confirmed_at`);--> statement-breakpoint
CREATE INDEX `users_name` ON `users` (`name`);