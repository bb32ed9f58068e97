ALTER TABLE `login_tokens` ADD `browser_hash` text;--> statement-breakpoint
ALTER TABLE `login_tokens` ADD `code_hash` text;--> statement-breakpoint
ALTER TABLE `login_tokens` ADD `code_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `login_tokens_browser` ON `login_tokens` (`browser_hash`);