CREATE TABLE `campaign_sends` (
	`campaign_id` text NOT NULL,
	`org_client_id` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`reason` text,
	`message_id` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`campaign_id`, `org_client_id`)
);
--> statement-breakpoint
CREATE INDEX `campaign_sends_status_idx` ON `campaign_sends` (`campaign_id`,`status`);--> statement-breakpoint
CREATE INDEX `campaign_sends_message_idx` ON `campaign_sends` (`message_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`segment` text DEFAULT '{}' NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`send_at` text,
	`total` integer DEFAULT 0 NOT NULL,
	`started_at` text,
	`finished_at` text,
	`cancelled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `campaigns_due_idx` ON `campaigns` (`status`,`send_at`);--> statement-breakpoint
CREATE TABLE `enrollment_log` (
	`id` text PRIMARY KEY NOT NULL,
	`enrollment_id` text NOT NULL,
	`position` integer,
	`type` text NOT NULL,
	`outcome` text NOT NULL,
	`message_id` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `enrollment_log_idx` ON `enrollment_log` (`enrollment_id`,`at`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` text PRIMARY KEY NOT NULL,
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`org_client_id` text NOT NULL,
	`current_step` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`next_step_at` text,
	`trigger_event_id` text,
	`job_id` text,
	`invoice_id` text,
	`source` text DEFAULT 'manual' NOT NULL,
	`ended_at` text,
	`end_reason` text,
	`archived_at` text,
	`enrolled_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `enrollments_due_idx` ON `enrollments` (`status`,`next_step_at`);--> statement-breakpoint
CREATE INDEX `enrollments_journey_idx` ON `enrollments` (`journey_id`,`status`,`enrolled_at`);--> statement-breakpoint
CREATE INDEX `enrollments_client_idx` ON `enrollments` (`org_client_id`,`journey_id`,`enrolled_at`);--> statement-breakpoint
CREATE INDEX `enrollments_ended_idx` ON `enrollments` (`archived_at`,`ended_at`);--> statement-breakpoint
CREATE TABLE `journey_steps` (
	`journey_id` text NOT NULL,
	`version` integer NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`delay_minutes` integer,
	`channel` text,
	`purpose` text,
	`subject` text,
	`body` text,
	`condition` text,
	`on_true` text,
	`on_false` text,
	PRIMARY KEY(`journey_id`, `version`, `position`)
);
--> statement-breakpoint
CREATE TABLE `journeys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`trigger_event` text NOT NULL,
	`trigger_source` text DEFAULT 'any' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `journeys_trigger_idx` ON `journeys` (`trigger_event`,`status`);--> statement-breakpoint
CREATE TABLE `private_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`review_request_id` text,
	`org_client_id` text,
	`tech_id` text,
	`rating` integer NOT NULL,
	`feedback` text DEFAULT '' NOT NULL,
	`callback_requested` integer DEFAULT false NOT NULL,
	`customer_name` text,
	`customer_email` text,
	`customer_phone` text,
	`source` text NOT NULL,
	`read_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `private_feedback_created_idx` ON `private_feedback` (`created_at`);--> statement-breakpoint
CREATE INDEX `private_feedback_unread_idx` ON `private_feedback` (`read_at`);--> statement-breakpoint
CREATE TABLE `qr_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`tech_id` text,
	`label` text NOT NULL,
	`scan_count` integer DEFAULT 0 NOT NULL,
	`last_scanned_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `qr_codes_code_uq` ON `qr_codes` (`code`);--> statement-breakpoint
CREATE TABLE `review_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`org_client_id` text,
	`enrollment_id` text,
	`message_id` text,
	`tech_id` text,
	`qr_code_id` text,
	`job_id` text,
	`channel` text NOT NULL,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`rating` integer,
	`rated_at` text,
	`opened_at` text,
	`public_clicked_at` text,
	`sent_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `review_requests_created_idx` ON `review_requests` (`created_at`);--> statement-breakpoint
CREATE INDEX `review_requests_client_idx` ON `review_requests` (`org_client_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `review_requests_message_idx` ON `review_requests` (`message_id`);--> statement-breakpoint
CREATE INDEX `review_requests_tech_idx` ON `review_requests` (`tech_id`,`rated_at`);--> statement-breakpoint
CREATE TABLE `techs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `messages` ADD `enrollment_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `campaign_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `review_request_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `quiet_hours` text;--> statement-breakpoint
CREATE INDEX `messages_enrollment_idx` ON `messages` (`enrollment_id`);--> statement-breakpoint
CREATE INDEX `messages_campaign_idx` ON `messages` (`campaign_id`,`status`);--> statement-breakpoint
ALTER TABLE `profile` ADD `google_review_url` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `phone` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `marketing_cap_per_day` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `profile` ADD `campaign_batch_size` integer DEFAULT 200 NOT NULL;