CREATE TABLE `homeowner_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`channel` text NOT NULL,
	`destination` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` text NOT NULL,
	`consumed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `homeowner_codes_person_idx` ON `homeowner_codes` (`person_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `homeowner_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `homeowner_sessions_expires_idx` ON `homeowner_sessions` (`expires_at`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `kind` text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE `user_person_links` ADD `verified_with` text;