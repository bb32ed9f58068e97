CREATE TABLE `enrolment_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lesson_completions` (
	`lesson_slug` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `list_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sales_buckets` (
	`bucket` integer NOT NULL,
	`currency` text NOT NULL,
	`method` text NOT NULL,
	`orders` integer NOT NULL,
	`sales` integer NOT NULL,
	`revenue` integer NOT NULL,
	`refunded` integer NOT NULL,
	PRIMARY KEY(`bucket`, `currency`, `method`)
);
--> statement-breakpoint
CREATE TABLE `sales_totals` (
	`currency` text NOT NULL,
	`method` text NOT NULL,
	`orders` integer NOT NULL,
	`sales` integer NOT NULL,
	`revenue` integer NOT NULL,
	`refunded` integer NOT NULL,
	PRIMARY KEY(`currency`, `method`)
);
--> statement-breakpoint
-- Hand-written: drizzle-kit writes no triggers; they keep the stored totals exact in every writing transaction, whichever code writes, and the backfill counts the rows already there.
CREATE TRIGGER `enrolment_counts_insert` AFTER INSERT ON `enrolments` BEGIN
	INSERT INTO `enrolment_counts` (`status`, `n`) VALUES (NEW.`status`, 1) ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `enrolment_counts_delete` AFTER DELETE ON `enrolments` BEGIN
	UPDATE `enrolment_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `enrolment_counts_update` AFTER UPDATE OF `status` ON `enrolments` WHEN OLD.`status` IS NOT NEW.`status` BEGIN
	UPDATE `enrolment_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
	INSERT INTO `enrolment_counts` (`status`, `n`) VALUES (NEW.`status`, 1) ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `list_counts_insert` AFTER INSERT ON `subscribers` BEGIN
	INSERT INTO `list_counts` (`status`, `n`) VALUES (NEW.`status`, 1) ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `list_counts_delete` AFTER DELETE ON `subscribers` BEGIN
	UPDATE `list_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `list_counts_update` AFTER UPDATE OF `status` ON `subscribers` WHEN OLD.`status` IS NOT NEW.`status` BEGIN
	UPDATE `list_counts` SET `n` = `n` - 1 WHERE `status` = OLD.`status`;
	INSERT INTO `list_counts` (`status`, `n`) VALUES (NEW.`status`, 1) ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `lesson_completions_progress_insert` AFTER INSERT ON `progress`
WHEN NEW.`completed_at` IS NOT NULL AND EXISTS (SELECT 1 FROM `enrolments` WHERE `user_id` = NEW.`user_id` AND `status` = 'active') BEGIN
	INSERT INTO `lesson_completions` (`lesson_slug`, `n`) VALUES (NEW.`lesson_slug`, 1) ON CONFLICT (`lesson_slug`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `lesson_completions_progress_delete` AFTER DELETE ON `progress`
WHEN OLD.`completed_at` IS NOT NULL AND EXISTS (SELECT 1 FROM `enrolments` WHERE `user_id` = OLD.`user_id` AND `status` = 'active') BEGIN
	UPDATE `lesson_completions` SET `n` = `n` - 1 WHERE `lesson_slug` = OLD.`lesson_slug`;
END;--> statement-breakpoint
CREATE TRIGGER `lesson_completions_progress_update` AFTER UPDATE OF `completed_at`, `user_id`, `lesson_slug` ON `progress` BEGIN
	UPDATE `lesson_completions` SET `n` = `n` - 1 WHERE `lesson_slug` = OLD.`lesson_slug` AND OLD.`completed_at` IS NOT NULL
		AND EXISTS (SELECT 1 FROM `enrolments` WHERE `user_id` = OLD.`user_id` AND `status` = 'active');
	INSERT INTO `lesson_completions` (`lesson_slug`, `n`) SELECT NEW.`lesson_slug`, 1 WHERE NEW.`completed_at` IS NOT NULL
		AND EXISTS (SELECT 1 FROM `enrolments` WHERE `user_id` = NEW.`user_id` AND `status` = 'active')
		ON CONFLICT (`lesson_slug`) DO UPDATE SET `n` = `n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `lesson_completions_enrolment_insert` AFTER INSERT ON `enrolments` WHEN NEW.`status` = 'active' BEGIN
	INSERT INTO `lesson_completions` (`lesson_slug`, `n`) SELECT `lesson_slug`, count(*) FROM `progress`
		WHERE `user_id` = NEW.`user_id` AND `completed_at` IS NOT NULL GROUP BY `lesson_slug`
		ON CONFLICT (`lesson_slug`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;--> statement-breakpoint
CREATE TRIGGER `lesson_completions_enrolment_delete` AFTER DELETE ON `enrolments` WHEN OLD.`status` = 'active' BEGIN
	UPDATE `lesson_completions` SET `n` = `n` - 1 WHERE `lesson_slug` IN
		(SELECT `lesson_slug` FROM `progress` WHERE `user_id` = OLD.`user_id` AND `completed_at` IS NOT NULL);
END;--> statement-breakpoint
CREATE TRIGGER `lesson_completions_enrolment_update` AFTER UPDATE OF `status`, `user_id` ON `enrolments` BEGIN
	UPDATE `lesson_completions` SET `n` = `n` - 1 WHERE OLD.`status` = 'active' AND `lesson_slug` IN
		(SELECT `lesson_slug` FROM `progress` WHERE `user_id` = OLD.`user_id` AND `completed_at` IS NOT NULL);
	INSERT INTO `lesson_completions` (`lesson_slug`, `n`) SELECT `lesson_slug`, count(*) FROM `progress`
		WHERE NEW.`status` = 'active' AND `user_id` = NEW.`user_id` AND `completed_at` IS NOT NULL GROUP BY `lesson_slug`
		ON CONFLICT (`lesson_slug`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_order_insert` AFTER INSERT ON `orders` BEGIN
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT NEW.`created_at` - NEW.`created_at` % 900000, NEW.`currency`, NEW.`method`, 1, (1 - r), (1 - r) * NEW.`amount`, r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = NEW.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT NEW.`currency`, NEW.`method`, 1, (1 - r), (1 - r) * NEW.`amount`, r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = NEW.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_order_delete` AFTER DELETE ON `orders` BEGIN
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT OLD.`created_at` - OLD.`created_at` % 900000, OLD.`currency`, OLD.`method`, -1, -(1 - r), -(1 - r) * OLD.`amount`, -r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = OLD.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT OLD.`currency`, OLD.`method`, -1, -(1 - r), -(1 - r) * OLD.`amount`, -r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = OLD.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_order_update` AFTER UPDATE OF `created_at`, `currency`, `method`, `amount`, `payment_intent_id` ON `orders` BEGIN
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT OLD.`created_at` - OLD.`created_at` % 900000, OLD.`currency`, OLD.`method`, -1, -(1 - r), -(1 - r) * OLD.`amount`, -r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = OLD.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT OLD.`currency`, OLD.`method`, -1, -(1 - r), -(1 - r) * OLD.`amount`, -r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = OLD.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT NEW.`created_at` - NEW.`created_at` % 900000, NEW.`currency`, NEW.`method`, 1, (1 - r), (1 - r) * NEW.`amount`, r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = NEW.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT NEW.`currency`, NEW.`method`, 1, (1 - r), (1 - r) * NEW.`amount`, r
		FROM (SELECT coalesce((SELECT `refunded` <> 0 FROM `payment_states` WHERE `payment_intent_id` = NEW.`payment_intent_id`), 0) AS r) WHERE true
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `orders` = `orders` + excluded.`orders`, `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_payment_insert` AFTER INSERT ON `payment_states` BEGIN
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `created_at` - `created_at` % 900000, `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT (NEW.`refunded` <> 0) AS d) WHERE `payment_intent_id` = NEW.`payment_intent_id` AND d <> 0 GROUP BY `created_at` - `created_at` % 900000, `currency`, `method`
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT (NEW.`refunded` <> 0) AS d) WHERE `payment_intent_id` = NEW.`payment_intent_id` AND d <> 0 GROUP BY `currency`, `method`
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_payment_delete` AFTER DELETE ON `payment_states` BEGIN
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `created_at` - `created_at` % 900000, `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT -(OLD.`refunded` <> 0) AS d) WHERE `payment_intent_id` = OLD.`payment_intent_id` AND d <> 0 GROUP BY `created_at` - `created_at` % 900000, `currency`, `method`
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT -(OLD.`refunded` <> 0) AS d) WHERE `payment_intent_id` = OLD.`payment_intent_id` AND d <> 0 GROUP BY `currency`, `method`
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
CREATE TRIGGER `sales_payment_update` AFTER UPDATE OF `refunded`, `payment_intent_id` ON `payment_states` BEGIN
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `created_at` - `created_at` % 900000, `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT -(OLD.`refunded` <> 0) AS d) WHERE `payment_intent_id` = OLD.`payment_intent_id` AND d <> 0 GROUP BY `created_at` - `created_at` % 900000, `currency`, `method`
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT -(OLD.`refunded` <> 0) AS d) WHERE `payment_intent_id` = OLD.`payment_intent_id` AND d <> 0 GROUP BY `currency`, `method`
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `created_at` - `created_at` % 900000, `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT (NEW.`refunded` <> 0) AS d) WHERE `payment_intent_id` = NEW.`payment_intent_id` AND d <> 0 GROUP BY `created_at` - `created_at` % 900000, `currency`, `method`
		ON CONFLICT (`bucket`, `currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
	INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
		SELECT `currency`, `method`, 0, -count(*) * d, -sum(`amount`) * d, count(*) * d
		FROM `orders`, (SELECT (NEW.`refunded` <> 0) AS d) WHERE `payment_intent_id` = NEW.`payment_intent_id` AND d <> 0 GROUP BY `currency`, `method`
		ON CONFLICT (`currency`, `method`) DO UPDATE SET `sales` = `sales` + excluded.`sales`,
			`revenue` = `revenue` + excluded.`revenue`, `refunded` = `refunded` + excluded.`refunded`;
END;--> statement-breakpoint
INSERT INTO `list_counts` (`status`, `n`) SELECT `status`, count(*) FROM `subscribers` GROUP BY `status`;--> statement-breakpoint
INSERT INTO `enrolment_counts` (`status`, `n`) SELECT `status`, count(*) FROM `enrolments` GROUP BY `status`;--> statement-breakpoint
INSERT INTO `lesson_completions` (`lesson_slug`, `n`) SELECT `p`.`lesson_slug`, count(*) FROM `progress` `p`
	JOIN `enrolments` `e` ON `e`.`user_id` = `p`.`user_id` AND `e`.`status` = 'active' WHERE `p`.`completed_at` IS NOT NULL GROUP BY `p`.`lesson_slug`;--> statement-breakpoint
INSERT INTO `sales_buckets` (`bucket`, `currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
	SELECT `created_at` - `created_at` % 900000, `currency`, `method`, count(*), sum(1 - r), sum((1 - r) * `amount`), sum(r)
	FROM (SELECT `o`.*, coalesce(`s`.`refunded` <> 0, 0) AS r FROM `orders` `o` LEFT JOIN `payment_states` `s` ON `s`.`payment_intent_id` = `o`.`payment_intent_id`)
	GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO `sales_totals` (`currency`, `method`, `orders`, `sales`, `revenue`, `refunded`)
	SELECT `currency`, `method`, sum(`orders`), sum(`sales`), sum(`revenue`), sum(`refunded`) FROM `sales_buckets` GROUP BY `currency`, `method`;
