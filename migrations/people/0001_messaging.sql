CREATE TABLE `message_routes` (
	`provider_message_id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`message_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `org_schedule` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`next_due_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `org_schedule_due_idx` ON `org_schedule` (`next_due_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`message_id` text NOT NULL,
	`channel` text NOT NULL,
	`to` text NOT NULL,
	`from` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_uq` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `outbox_org_idx` ON `outbox` (`organization_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `sms_from` text;