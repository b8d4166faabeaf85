CREATE TABLE `conversation_reads` (
	`org_client_id` text PRIMARY KEY NOT NULL,
	`read_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invoice_line_items` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity` real DEFAULT 1 NOT NULL,
	`unit_price_cents` integer NOT NULL,
	`service_id` text,
	`taxable` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invoice_line_items_invoice_idx` ON `invoice_line_items` (`invoice_id`,`position`);--> statement-breakpoint
ALTER TABLE `invoices` ADD `subtotal_cents` integer;--> statement-breakpoint
ALTER TABLE `invoices` ADD `tax_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `invoices` ADD `tax_rate` real;--> statement-breakpoint
ALTER TABLE `invoices` ADD `sent_at` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `default_tax_rate` real;--> statement-breakpoint
ALTER TABLE `profile` ADD `address` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `logo_text` text;--> statement-breakpoint
ALTER TABLE `profile` ADD `brand_color` text;--> statement-breakpoint
ALTER TABLE `services` ADD `position` integer DEFAULT 0 NOT NULL;