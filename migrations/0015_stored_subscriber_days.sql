CREATE TABLE `subscriber_days` (
	`day` integer PRIMARY KEY NOT NULL,
	`signups` integer NOT NULL,
	`confirmations` integer NOT NULL,
	`still_confirmed` integer NOT NULL
);
--> statement-breakpoint
-- Hand-written (drizzle-kit writes no triggers): subscriber_days follows subscribers on every writing path (signup,
-- confirmation, unsubscribe, import, delete), days cut with sales_day_zone's offset as sales_days are, then backfilled.
CREATE TRIGGER `subscriber_days_insert` AFTER INSERT ON `subscribers` BEGIN
	INSERT INTO `subscriber_days` (`day`, `signups`, `confirmations`, `still_confirmed`)
		SELECT (cast(NEW.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(NEW.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 0, 1, NEW.`status` = 'confirmed'
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND NEW.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `still_confirmed` = `still_confirmed` + excluded.`still_confirmed`;
END;--> statement-breakpoint
CREATE TRIGGER `subscriber_days_delete` AFTER DELETE ON `subscribers` BEGIN
	INSERT INTO `subscriber_days` (`day`, `signups`, `confirmations`, `still_confirmed`)
		SELECT (cast(OLD.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, -1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(OLD.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 0, -1, -(OLD.`status` = 'confirmed')
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND OLD.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `still_confirmed` = `still_confirmed` + excluded.`still_confirmed`;
END;--> statement-breakpoint
CREATE TRIGGER `subscriber_days_update` AFTER UPDATE OF `created_at`, `confirmed_at`, `status` ON `subscribers`
	WHEN OLD.`created_at` IS NOT NEW.`created_at` OR OLD.`confirmed_at` IS NOT NEW.`confirmed_at` OR OLD.`status` IS NOT NEW.`status` BEGIN
	INSERT INTO `subscriber_days` (`day`, `signups`, `confirmations`, `still_confirmed`)
		SELECT (cast(OLD.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, -1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(OLD.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 0, -1, -(OLD.`status` = 'confirmed')
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND OLD.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `still_confirmed` = `still_confirmed` + excluded.`still_confirmed`;
	INSERT INTO `subscriber_days` (`day`, `signups`, `confirmations`, `still_confirmed`)
		SELECT (cast(NEW.`created_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 1, 0, 0
		FROM `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (cast(NEW.`confirmed_at` as integer) + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 0, 1, NEW.`status` = 'confirmed'
		FROM `sales_day_zone` z WHERE z.`id` = 1 AND NEW.`confirmed_at` IS NOT NULL
		ON CONFLICT (`day`) DO UPDATE SET `signups` = `signups` + excluded.`signups`,
			`confirmations` = `confirmations` + excluded.`confirmations`, `still_confirmed` = `still_confirmed` + excluded.`still_confirmed`;
END;--> statement-breakpoint
INSERT INTO `subscriber_days` (`day`, `signups`, `confirmations`, `still_confirmed`)
	SELECT `day`, sum(`signups`), sum(`confirmations`), sum(`still_confirmed`) FROM (
		SELECT (s.`created_at` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms` AS `day`, 1 AS `signups`, 0 AS `confirmations`, 0 AS `still_confirmed`
		FROM `subscribers` s, `sales_day_zone` z WHERE z.`id` = 1
		UNION ALL
		SELECT (s.`confirmed_at` + z.`offset_ms`) / 86400000 * 86400000 - z.`offset_ms`, 0, 1, s.`status` = 'confirmed'
		FROM `subscribers` s, `sales_day_zone` z WHERE z.`id` = 1 AND s.`confirmed_at` IS NOT NULL
	) WHERE true GROUP BY `day`;
