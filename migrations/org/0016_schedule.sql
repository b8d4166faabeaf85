CREATE TABLE `job_line_items` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity` real DEFAULT 1 NOT NULL,
	`unit_price_cents` integer NOT NULL,
	`service_id` text,
	`taxable` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_line_items_job_idx` ON `job_line_items` (`job_id`,`position`);--> statement-breakpoint
CREATE TABLE `job_series` (
	`id` text PRIMARY KEY NOT NULL,
	`org_client_id` text NOT NULL,
	`rule` text NOT NULL,
	`timezone` text NOT NULL,
	`service_id` text,
	`address_id` text,
	`duration_minutes` integer,
	`price_cents` integer DEFAULT 0 NOT NULL,
	`notes` text,
	`assigned_to` text DEFAULT '[]' NOT NULL,
	`generated_until` text NOT NULL,
	`extend_at` text,
	`cancelled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_series_client_idx` ON `job_series` (`org_client_id`);--> statement-breakpoint
CREATE INDEX `job_series_extend_idx` ON `job_series` (`extend_at`);--> statement-breakpoint
ALTER TABLE `jobs` ADD `series_id` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `occurrence` text;--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_series_occurrence_uq` ON `jobs` (`series_id`,`occurrence`);--> statement-breakpoint
ALTER TABLE `techs` ADD `user_id` text;--> statement-breakpoint
-- Job statuses are spelled as the API spells them: `cancelled`.
UPDATE `jobs` SET `status` = 'cancelled' WHERE `status` = 'canceled';--> statement-breakpoint
-- A series' next extension is due work: its changes move the next due time.
CREATE TRIGGER `due_job_series_ins` AFTER INSERT ON `job_series` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_job_series_del` AFTER DELETE ON `job_series` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_job_series_upd` AFTER UPDATE OF `extend_at` ON `job_series` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
