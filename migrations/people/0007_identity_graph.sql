CREATE TABLE `account_points` (
	`account_id` text NOT NULL,
	`point` text NOT NULL,
	`verified_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`account_id`, `point`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_points_point_idx` ON `account_points` (`point`);--> statement-breakpoint
CREATE TABLE `contact_assertions` (
	`person_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`kind`, `value`, `organization_id`, `person_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_assertions_person_idx` ON `contact_assertions` (`person_id`);--> statement-breakpoint
CREATE TABLE `org_people` (
	`organization_id` text NOT NULL,
	`person_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`organization_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `point_consents` (
	`organization_id` text NOT NULL,
	`point` text NOT NULL,
	`opt_in` integer DEFAULT true NOT NULL,
	`marketing_opt_in` integer DEFAULT true NOT NULL,
	`opted_in_at` text,
	`reason` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`organization_id`, `point`)
);
--> statement-breakpoint
DROP INDEX `person_phones_phone_uq`;--> statement-breakpoint
ALTER TABLE `person_phones` ADD `verified_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `person_phones_phone_person_uq` ON `person_phones` (`phone_e164`,`person_id`);--> statement-breakpoint
ALTER TABLE `homeowner_codes` ADD `purpose` text DEFAULT 'sign_in' NOT NULL;--> statement-breakpoint
ALTER TABLE `homeowner_codes` ADD `account_id` text;--> statement-breakpoint
ALTER TABLE `person_emails` ADD `verified_at` text;--> statement-breakpoint
INSERT OR IGNORE INTO `org_people` (`organization_id`, `person_id`, `created_at`) SELECT `organization_id`, `person_id`, `created_at` FROM `person_orgs`;--> statement-breakpoint
INSERT OR IGNORE INTO `contact_assertions` (`person_id`, `organization_id`, `kind`, `value`) SELECT po.`person_id`, po.`organization_id`, 'email', e.`email` FROM `person_orgs` po JOIN `person_emails` e ON e.`person_id` = po.`person_id`;--> statement-breakpoint
INSERT OR IGNORE INTO `contact_assertions` (`person_id`, `organization_id`, `kind`, `value`) SELECT po.`person_id`, po.`organization_id`, 'phone', p.`phone_e164` FROM `person_orgs` po JOIN `person_phones` p ON p.`person_id` = po.`person_id`;--> statement-breakpoint
INSERT OR IGNORE INTO `point_consents` (`organization_id`, `point`, `opt_in`, `marketing_opt_in`, `opted_in_at`, `reason`, `updated_at`) SELECT c.`organization_id`, p.`primary_phone_e164`, c.`sms_opt_in`, 1, c.`sms_opted_in_at`, c.`reason`, c.`updated_at` FROM `consents` c JOIN `people` p ON p.`id` = c.`person_id` WHERE c.`organization_id` <> '' AND p.`primary_phone_e164` IS NOT NULL;--> statement-breakpoint
INSERT OR IGNORE INTO `point_consents` (`organization_id`, `point`, `opt_in`, `marketing_opt_in`, `opted_in_at`, `reason`, `updated_at`) SELECT c.`organization_id`, p.`primary_email`, c.`email_opt_in`, c.`marketing_email_opt_in`, c.`email_opted_in_at`, c.`reason`, c.`updated_at` FROM `consents` c JOIN `people` p ON p.`id` = c.`person_id` WHERE c.`organization_id` <> '' AND p.`primary_email` IS NOT NULL;--> statement-breakpoint
INSERT OR IGNORE INTO `account_points` (`account_id`, `point`, `verified_at`) SELECT `account_id`, `verified_with`, `created_at` FROM `user_person_links` WHERE `verified_with` IS NOT NULL;
