CREATE TABLE `announcement_sends` (
	`announcement_id` text NOT NULL,
	`account_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`email` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`announcement_id`, `account_id`)
);
--> statement-breakpoint
CREATE TABLE `announcements` (
	`id` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`audience` text NOT NULL,
	`created_by` text NOT NULL,
	`recipients` integer DEFAULT 0 NOT NULL,
	`sent_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `announcements_created_idx` ON `announcements` (`created_at`);--> statement-breakpoint
CREATE TABLE `org_metrics` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`clients` integer DEFAULT 0 NOT NULL,
	`jobs_30d` integer DEFAULT 0 NOT NULL,
	`messages_30d` integer DEFAULT 0 NOT NULL,
	`sms_this_period` integer DEFAULT 0 NOT NULL,
	`last_sign_in_at` text,
	`engagement` text DEFAULT 'dormant' NOT NULL,
	`mrr_cents` integer DEFAULT 0 NOT NULL,
	`ltv_cents` integer DEFAULT 0 NOT NULL,
	`total_spent_cents` integer DEFAULT 0 NOT NULL,
	`computed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `org_metrics_engagement_idx` ON `org_metrics` (`engagement`);--> statement-breakpoint
CREATE INDEX `org_metrics_mrr_idx` ON `org_metrics` (`mrr_cents`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`price_monthly_cents` integer NOT NULL,
	`stripe_price_id` text,
	`sms_per_month` integer NOT NULL,
	`team_size` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_stripe_price_uq` ON `plans` (`stripe_price_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `plans_default_uq` ON `plans` (`is_default`) WHERE is_default = 1;--> statement-breakpoint
CREATE TABLE `platform_metrics` (
	`day` text PRIMARY KEY NOT NULL,
	`organizations` integer NOT NULL,
	`active_subscriptions` integer NOT NULL,
	`mrr_cents` integer NOT NULL,
	`churned_30d` integer NOT NULL,
	`signups_30d` integer NOT NULL,
	`computed_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscription_history` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`plan_id` text,
	`status` text,
	`mrr_cents` integer DEFAULT 0 NOT NULL,
	`stripe_event_id` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscription_history_org_idx` ON `subscription_history` (`organization_id`,`at`);--> statement-breakpoint
CREATE INDEX `subscription_history_at_idx` ON `subscription_history` (`at`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_history_event_uq` ON `subscription_history` (`stripe_event_id`);--> statement-breakpoint
CREATE TABLE `support_ai_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`kind` text NOT NULL,
	`model` text NOT NULL,
	`prompt` text NOT NULL,
	`response` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_ai_ticket_idx` ON `support_ai_interactions` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `support_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`from` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`internal` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_replies_ticket_idx` ON `support_replies` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `support_tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`opened_by` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`assignee` text,
	`ai_summary` text,
	`suggested_priority` text,
	`last_reply_at` text,
	`last_reply_from` text,
	`closed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `support_tickets_status_idx` ON `support_tickets` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `support_tickets_org_idx` ON `support_tickets` (`organization_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `last_sign_in_at` text;--> statement-breakpoint
ALTER TABLE `accounts` ADD `announcements_opt_out_at` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `plan_id` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `mrr_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The plans HomeBase starts with; operators connect Stripe prices to them (README, "Running HomeBase").
INSERT INTO `plans` (`id`, `name`, `price_monthly_cents`, `stripe_price_id`, `sms_per_month`, `team_size`, `position`, `is_default`) VALUES
	('plan_free', 'Free', 0, NULL, 50, 2, 0, 1),
	('plan_starter', 'Starter', 4900, NULL, 500, 5, 1, 0),
	('plan_pro', 'Pro', 9900, NULL, 2000, 15, 2, 0),
	('plan_business', 'Business', 19900, NULL, 10000, 50, 3, 0);
