ALTER TABLE `organizations` ADD `schedule_checked_at` text;--> statement-breakpoint
CREATE INDEX `organizations_schedule_checked_idx` ON `organizations` (`schedule_checked_at`);