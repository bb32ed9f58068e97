CREATE TABLE `sales_day_zone` (
	`id` integer PRIMARY KEY NOT NULL,
	`offset_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sales_days` (
	`day` integer NOT NULL,
	`currency` text NOT NULL,
	`method` text NOT NULL,
	`orders` integer NOT NULL,
	`sales` integer NOT NULL,
	`revenue` integer NOT NULL,
	`refunded` integer NOT NULL,
	PRIMARY KEY(`day`, `currency`, `method`)
);
--> statement-breakpoint
DROP INDEX `subscribers_confirmed`;--> statement-breakpoint
CREATE INDEX `subscribers_confirmed` ON `subscribers` (`confirmed_at`,`status`);--> statement-breakpoint
-- Hand-written (drizzle-kit writes no triggers): sales_days follows sales_buckets, which the triggers of 0013 keep, so
-- every writing path reaches it. Days are cut with sales_day_zone's offset; +6 h (Asia/Dhaka) until the server sets its own.
INSERT INTO `sales_day_zone` (`id`, `offset_ms`) VALUES (1, 21600000);--> statement-breakpoint
CREATE TRIGGER `sales_days_bucket_insert` AFTER INSERT ON `sales_buckets` BEGIN
	INSERT INTO `sales_days` (`day`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT (NEW.`bucket` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, NEW.`currency`, NEW.`method`,
			NEW.`orders`, NEW.`sales`, NEW.`revenue`, NEW.`refunded`
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_days_bucket_delete` AFTER DELETE ON `sales_buckets` BEGIN
	INSERT INTO `sales_days` (`day`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT (OLD.`bucket` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, OLD.`currency`, OLD.`method`,
			-OLD.`orders`, -OLD.`sales`, -OLD.`revenue`, -OLD.`refunded`
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_days_bucket_update` AFTER UPDATE ON `sales_buckets` BEGIN
	INSERT INTO `sales_days` (`day`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT (OLD.`bucket` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, OLD.`currency`, OLD.`method`,
			-OLD.`orders`, -OLD.`sales`, -OLD.`revenue`, -OLD.`refunded`
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_days` (`day`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT (NEW.`bucket` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, NEW.`currency`, NEW.`method`,
			NEW.`orders`, NEW.`sales`, NEW.`revenue`, NEW.`refunded`
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
INSERT INTO `sales_days` (`day`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
	SELECT (`bucket` + 21600000) / 86400000 * 86400000 - 21600000, `currency`, `method`, sum(`orders`), sum(`sales`), sum(`revenue`), sum(`refunded`)
	FROM `sales_buckets` GROUP BY 1, 2, 3;
