CREATE TABLE `source_days` (
	`day` integer NOT NULL,
	`source` text NOT NULL,
	`signups` integer NOT NULL,
	`confirmations` integer NOT NULL,
	`purchases` integer NOT NULL,
	PRIMARY KEY(`day`, `source`)
);
--> statement-breakpoint
ALTER TABLE `demo_checkout_sessions` ADD `source` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `source` text;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `source` text;--> statement-breakpoint
ALTER TABLE `wallet_claims` ADD `source` text;--> statement-breakpoint
-- Hand-written (drizzle-kit writes no triggers): source_days follows subscribers and orders on every writing path, in
-- the transaction that writes them, with days cut as subscriber_days' are; existing rows, whose source nobody knows,
-- are backfilled under '(unknown)'.
CREATE TRIGGER `source_days_subscriber_insert` AFTER INSERT ON `subscribers` BEGIN
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(NEW.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(NEW.`source`, '(unknown)'), 1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(NEW.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(NEW.`source`, '(unknown)'), 0, 1, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND NEW.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
END;--> statement-breakpoint
CREATE TRIGGER `source_days_subscriber_delete` AFTER DELETE ON `subscribers` BEGIN
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(OLD.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(OLD.`source`, '(unknown)'), -1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(OLD.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(OLD.`source`, '(unknown)'), 0, -1, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND OLD.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
END;--> statement-breakpoint
CREATE TRIGGER `source_days_subscriber_update` AFTER UPDATE OF `created_at`, `confirmed_at`, `source` ON `subscribers`
	WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`confirmed_at` IS NOT NEW.`confirmed_at` OR OLD.`source` IS NOT NEW.`source` BEGIN
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(OLD.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(OLD.`source`, '(unknown)'), -1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(OLD.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(OLD.`source`, '(unknown)'), 0, -1, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND OLD.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(NEW.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(NEW.`source`, '(unknown)'), 1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(NEW.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(NEW.`source`, '(unknown)'), 0, 1, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND NEW.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
END;--> statement-breakpoint
CREATE TRIGGER `source_days_order_insert` AFTER INSERT ON `orders` BEGIN
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(NEW.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(NEW.`source`, '(unknown)'), 0, 0, 1
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
END;--> statement-breakpoint
CREATE TRIGGER `source_days_order_delete` AFTER DELETE ON `orders` BEGIN
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(OLD.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(OLD.`source`, '(unknown)'), 0, 0, -1
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
END;--> statement-breakpoint
CREATE TRIGGER `source_days_order_update` AFTER UPDATE OF `created_at`, `source` ON `orders`
	WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`source` IS NOT NEW.`source` BEGIN
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(OLD.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(OLD.`source`, '(unknown)'), 0, 0, -1
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
	INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
		SELECT (cast(NEW.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(NEW.`source`, '(unknown)'), 0, 0, 1
		FROM `sales_day_zone` z WHERE z.`id` = 1
		ON CONFLICT (`day`, `source`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `purchases` = `purchases` + excluded.`purchases`;
END;--> statement-breakpoint
INSERT INTO `source_days` (`day`, `source`, `signups`, `confirmations`, `purchases`)
	SELECT `day`, `source`, sum(`signups`), sum(`confirmations`), sum(`purchases`) FROM (
		SELECT (s.`created_at` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms` AS `day`,
			coalesce(s.`source`, '(unknown)') AS `source`, 1 AS `signups`, 0 AS `confirmations`, 0 AS `purchases`
		FROM `subscribers` s, `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (s.`confirmed_at` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(s.`source`, '(unknown)'), 0, 1, 0
		FROM `subscribers` s, `sales_day_zone` z WHERE z.`id` = 1 AND s.`confirmed_at` IS NOT NULL
		UNION ALL
		SELECT (o.`created_at` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, coalesce(o.`source`, '(unknown)'), 0, 0, 1
		FROM `orders` o, `sales_day_zone` z WHERE z.`id` = 1
	) WHERE true GROUP BY `day`, `source`;
