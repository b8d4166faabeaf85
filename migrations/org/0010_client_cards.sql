CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`action` text NOT NULL,
	`org_client_id` text,
	`data` text DEFAULT '{}' NOT NULL,
	`actor` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_client_idx` ON `audit_log` (`org_client_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `client_merges` (
	`id` text PRIMARY KEY NOT NULL,
	`into_client_id` text NOT NULL,
	`from_client_id` text NOT NULL,
	`moved` text NOT NULL,
	`before` text NOT NULL,
	`actor` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`undone_at` text,
	`undone_by` text
);
--> statement-breakpoint
CREATE INDEX `client_merges_into_idx` ON `client_merges` (`into_client_id`);--> statement-breakpoint
CREATE INDEX `client_merges_from_idx` ON `client_merges` (`from_client_id`);--> statement-breakpoint
ALTER TABLE `addresses` ADD `source` text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE `addresses` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `addresses` ADD `updated_at` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `provenance` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `org_clients` ADD `merged_into` text;