CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`org_client_id` text NOT NULL,
	`job_id` text,
	`preferred_times` text DEFAULT '[]' NOT NULL,
	`note` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`done_at` text
);
--> statement-breakpoint
CREATE INDEX `tasks_open_idx` ON `tasks` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `tasks_job_idx` ON `tasks` (`job_id`);--> statement-breakpoint
ALTER TABLE `jobs` ADD `confirmed_at` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `stripe_account_id` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `payment_instructions` text;