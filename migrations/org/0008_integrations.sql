CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`account_id` text,
	`account_name` text,
	`webhook_secret` text,
	`access_token` text,
	`refresh_token` text,
	`token_expires_at` text,
	`scopes` text,
	`settings` text DEFAULT '{}' NOT NULL,
	`last_event_at` text,
	`last_sync_at` text,
	`last_error` text,
	`connected_at` text,
	`disconnected_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `connections_provider_idx` ON `connections` (`provider`,`status`);--> statement-breakpoint
CREATE TABLE `crm_cache` (
	`connection_id` text NOT NULL,
	`kind` text NOT NULL,
	`data` text NOT NULL,
	`fetched_at` text NOT NULL,
	PRIMARY KEY(`connection_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `external_mappings` (
	`provider` text NOT NULL,
	`entity` text NOT NULL,
	`external_id` text NOT NULL,
	`local_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`provider`, `entity`, `external_id`)
);
--> statement-breakpoint
CREATE INDEX `external_mappings_local_idx` ON `external_mappings` (`entity`,`local_id`);--> statement-breakpoint
CREATE TABLE `sync_log` (
	`id` text PRIMARY KEY NOT NULL,
	`connection_id` text,
	`provider` text NOT NULL,
	`direction` text NOT NULL,
	`step` text NOT NULL,
	`status` text NOT NULL,
	`event_key` text,
	`topic` text,
	`external_id` text,
	`org_client_id` text,
	`attempt` integer DEFAULT 1 NOT NULL,
	`detail` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_log_connection_idx` ON `sync_log` (`connection_id`,`at`);--> statement-breakpoint
CREATE INDEX `sync_log_at_idx` ON `sync_log` (`at`);--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`event_key` text NOT NULL,
	`connection_id` text,
	`topic` text,
	`body` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`received_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`processed_at` text,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_receipts_key_uq` ON `webhook_receipts` (`provider`,`event_key`);--> statement-breakpoint
CREATE INDEX `webhook_receipts_at_idx` ON `webhook_receipts` (`received_at`);