ALTER TABLE `consents` ADD `email_opted_in_at` text;--> statement-breakpoint
ALTER TABLE `consents` ADD `sms_opted_in_at` text;