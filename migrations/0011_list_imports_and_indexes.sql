CREATE TABLE `subscriber_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_name` text NOT NULL,
	`added` integer NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sequence_started_at` integer
);
--> statement-breakpoint
ALTER TABLE `subscribers` ADD `import_id` integer REFERENCES subscriber_imports(id);--> statement-breakpoint
CREATE INDEX `subscribers_status` ON `subscribers` (`status`);--> statement-breakpoint
CREATE INDEX `subscribers_source` ON `subscribers` (`consent_form`);--> statement-breakpoint
CREATE INDEX `subscribers_import` ON `subscribers` (`import_id`);--> statement-breakpoint
CREATE INDEX `outbox_template_status` ON `outbox` (`template`,`status`);--> statement-breakpoint
CREATE INDEX `suppressions_by_reason` ON `suppressions` (`reason`);