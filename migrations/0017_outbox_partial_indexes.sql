DROP INDEX `outbox_batch`;--> statement-breakpoint
DROP INDEX `outbox_provider`;--> statement-breakpoint
CREATE INDEX `outbox_batch` ON `outbox` (`batch_id`) WHERE batch_id is not null;--> statement-breakpoint
CREATE INDEX `outbox_provider` ON `outbox` (`provider_id`) WHERE provider_id is not null;