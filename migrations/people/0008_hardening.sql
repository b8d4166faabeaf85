CREATE TABLE `idempotency_keys` (
	`organization_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`organization_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires_idx` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
CREATE TABLE `inbound_sms` (
	`message_sid` text PRIMARY KEY NOT NULL,
	`from_e164` text NOT NULL,
	`to_e164` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inbound_sms_created_idx` ON `inbound_sms` (`created_at`);--> statement-breakpoint
CREATE TABLE `password_resets` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `password_resets_account_idx` ON `password_resets` (`account_id`);--> statement-breakpoint
-- A number two businesses claimed stays with the one that set it first (the lowest rowid); the others fall back to the platform number.
UPDATE `organizations` SET `sms_from` = NULL WHERE `sms_from` IS NOT NULL AND rowid > (SELECT min(o2.rowid) FROM `organizations` o2 WHERE o2.`sms_from` = `organizations`.`sms_from`);--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_sms_from_uq` ON `organizations` (`sms_from`);