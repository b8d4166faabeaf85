ALTER TABLE `external_mappings` ADD `linked_by` text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE `external_mappings` ADD `last_synced_at` text;