ALTER TABLE `profile` ADD `job_reminder_hours` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `invoice_reminder_days` text;