DROP INDEX `outbox_batch_due`;--> statement-breakpoint
CREATE INDEX `outbox_unbatched_due` ON `outbox` (`due_at`) WHERE batch_id is null and status = 'pending';--> statement-breakpoint
CREATE INDEX `outbox_batch_lease` ON `outbox` (`lease_until`) WHERE batch_id is not null and status = 'pending';