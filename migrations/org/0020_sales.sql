CREATE TABLE `account_contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text,
	`email` text,
	`phone` text,
	`role` text,
	`is_primary` integer DEFAULT false NOT NULL,
	`lead_id` text,
	`org_client_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "account_contacts_lead_xor_client" CHECK("account_contacts"."lead_id" is null or "account_contacts"."org_client_id" is null)
);
--> statement-breakpoint
CREATE INDEX `account_contacts_account_idx` ON `account_contacts` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `account_contacts_primary_uq` ON `account_contacts` (`account_id`) WHERE is_primary = 1;--> statement-breakpoint
CREATE INDEX `account_contacts_client_idx` ON `account_contacts` (`org_client_id`);--> statement-breakpoint
CREATE INDEX `account_contacts_lead_idx` ON `account_contacts` (`lead_id`);--> statement-breakpoint
CREATE TABLE `account_sites` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`label` text,
	`address1` text NOT NULL,
	`address2` text,
	`city` text NOT NULL,
	`state` text NOT NULL,
	`postal` text NOT NULL,
	`country` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `account_sites_account_idx` ON `account_sites` (`account_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'business' NOT NULL,
	`billing_address` text,
	`tax_id` text,
	`notes` text,
	`external_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `accounts_name_idx` ON `accounts` (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_external_uq` ON `accounts` (`external_id`);--> statement-breakpoint
CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`lead_id` text,
	`org_client_id` text,
	`type` text NOT NULL,
	`direction` text,
	`summary` text NOT NULL,
	`occurred_at` text NOT NULL,
	`author_id` text,
	`source` text DEFAULT 'staff' NOT NULL,
	`external_id` text,
	`duration_seconds` integer,
	`url` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "activities_one_subject" CHECK(("activities"."lead_id" is null) <> ("activities"."org_client_id" is null))
);
--> statement-breakpoint
CREATE INDEX `activities_lead_idx` ON `activities` (`lead_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `activities_client_idx` ON `activities` (`org_client_id`,`occurred_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `activities_external_uq` ON `activities` (`external_id`);--> statement-breakpoint
CREATE TABLE `activity_types` (
	`key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`icon` text,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ai_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`model` text NOT NULL,
	`prompt` text NOT NULL,
	`response` text NOT NULL,
	`requested_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ai_interactions_created_idx` ON `ai_interactions` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `ai_interactions_subject_idx` ON `ai_interactions` (`subject_type`,`subject_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `estimate_line_items` (
	`id` text PRIMARY KEY NOT NULL,
	`estimate_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity` real DEFAULT 1 NOT NULL,
	`unit_price_cents` integer NOT NULL,
	`service_id` text,
	`taxable` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `estimate_line_items_estimate_idx` ON `estimate_line_items` (`estimate_id`,`position`);--> statement-breakpoint
CREATE TABLE `estimates` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`lead_id` text,
	`org_client_id` text,
	`account_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`subtotal_cents` integer DEFAULT 0 NOT NULL,
	`tax_cents` integer DEFAULT 0 NOT NULL,
	`tax_rate` real,
	`total_cents` integer DEFAULT 0 NOT NULL,
	`valid_until` text,
	`expires_at` text,
	`notes` text,
	`link_hash` text,
	`sent_at` text,
	`approved_at` text,
	`approved_name` text,
	`declined_at` text,
	`decline_reason` text,
	`expired_at` text,
	`job_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "estimates_has_subject" CHECK("estimates"."lead_id" is not null or "estimates"."org_client_id" is not null)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `estimates_number_uq` ON `estimates` (`number`);--> statement-breakpoint
CREATE INDEX `estimates_status_idx` ON `estimates` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `estimates_lead_idx` ON `estimates` (`lead_id`);--> statement-breakpoint
CREATE INDEX `estimates_client_idx` ON `estimates` (`org_client_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `estimates_account_idx` ON `estimates` (`account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `estimates_link_uq` ON `estimates` (`link_hash`);--> statement-breakpoint
CREATE TABLE `lead_statuses` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`color` text NOT NULL,
	`icon` text,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lead_statuses_position_idx` ON `lead_statuses` (`position`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text,
	`email` text,
	`phone` text,
	`company` text,
	`account_id` text,
	`source` text DEFAULT 'manual' NOT NULL,
	`service_interest` text,
	`estimated_value_cents` integer,
	`status_id` text NOT NULL,
	`next_follow_up_at` text,
	`assigned_to` text,
	`notes` text,
	`custom_fields` text DEFAULT '{}' NOT NULL,
	`custom_fields_version` integer DEFAULT 1 NOT NULL,
	`is_converted` integer DEFAULT false NOT NULL,
	`converted_to_client_id` text,
	`conversion_date` text,
	`status_changed_at` text,
	`last_contact_at` text,
	`ai_summary` text,
	`ai_next_action` text,
	`ai_priority` text,
	`ai_updated_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `leads_status_idx` ON `leads` (`is_converted`,`status_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `leads_follow_up_idx` ON `leads` (`is_converted`,`next_follow_up_at`);--> statement-breakpoint
CREATE INDEX `leads_created_idx` ON `leads` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `leads_client_idx` ON `leads` (`converted_to_client_id`);--> statement-breakpoint
CREATE INDEX `leads_account_idx` ON `leads` (`account_id`);--> statement-breakpoint
CREATE INDEX `leads_phone_idx` ON `leads` (`phone`);--> statement-breakpoint
CREATE INDEX `leads_email_idx` ON `leads` (`email`);--> statement-breakpoint
ALTER TABLE `invoices` ADD `account_id` text;--> statement-breakpoint
CREATE INDEX `invoices_account_idx` ON `invoices` (`account_id`) WHERE account_id is not null;--> statement-breakpoint
ALTER TABLE `jobs` ADD `site_id` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `estimate_id` text;--> statement-breakpoint
CREATE INDEX `jobs_site_idx` ON `jobs` (`site_id`) WHERE site_id is not null;--> statement-breakpoint
ALTER TABLE `org_clients` ADD `account_id` text;--> statement-breakpoint
CREATE INDEX `org_clients_account_idx` ON `org_clients` (`account_id`) WHERE account_id is not null;--> statement-breakpoint
-- Every business starts with a pipeline and the seed's communication types; both are theirs to edit.
INSERT INTO `lead_statuses` (`id`, `name`, `color`, `icon`, `position`, `kind`) VALUES
	('ls_new', 'New', '#2563eb', 'sparkles', 0, 'open'),
	('ls_contacted', 'Contacted', '#7c3aed', 'phone', 1, 'open'),
	('ls_estimate_sent', 'Estimate sent', '#d97706', 'document', 2, 'open'),
	('ls_won', 'Won', '#16a34a', 'check', 3, 'won'),
	('ls_lost', 'Lost', '#6b7280', 'x', 4, 'lost');--> statement-breakpoint
INSERT INTO `activity_types` (`key`, `name`, `icon`, `position`) VALUES
	('call', 'Call', 'phone', 0),
	('note', 'Note', 'pencil', 1),
	('meeting', 'Meeting', 'calendar', 2),
	('email', 'Email', 'mail', 3),
	('sms', 'Text', 'chat', 4);--> statement-breakpoint
-- A sent estimate's expiry is due work (nextDueAt): count the writes that can move it.
CREATE TRIGGER `due_estimates_ins` AFTER INSERT ON `estimates` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_estimates_del` AFTER DELETE ON `estimates` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_estimates_upd` AFTER UPDATE OF `status`, `expires_at` ON `estimates` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
