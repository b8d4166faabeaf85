CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`channel` text NOT NULL,
	`to` text,
	`from` text,
	`subject` text,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`provider_status` text,
	`reason` text,
	`purpose` text NOT NULL,
	`transactional` integer DEFAULT true NOT NULL,
	`org_client_id` text,
	`reminder_id` text,
	`subject_stamp` text,
	`send_after` text,
	`provider` text,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_dedupe_uq` ON `messages` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `messages_created_idx` ON `messages` (`created_at`);--> statement-breakpoint
CREATE INDEX `messages_deferred_idx` ON `messages` (`status`,`send_after`);--> statement-breakpoint
CREATE INDEX `messages_client_idx` ON `messages` (`org_client_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_provider_idx` ON `messages` (`provider_message_id`);--> statement-breakpoint
CREATE TABLE `templates` (
	`key` text NOT NULL,
	`channel` text NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`body` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`key`, `channel`)
);
--> statement-breakpoint
ALTER TABLE `profile` ADD `quiet_start` text DEFAULT '21:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `profile` ADD `quiet_end` text DEFAULT '08:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `profile` ADD `sms_from` text;