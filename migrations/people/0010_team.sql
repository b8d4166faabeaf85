ALTER TABLE `invites` ADD `name` text;--> statement-breakpoint
ALTER TABLE `memberships` ADD `color` text;