CREATE TABLE `review_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`review_request_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE INDEX `review_alerts_unsent_idx` ON `review_alerts` (`sent_at`,`created_at`);--> statement-breakpoint
-- A provider payment id posted twice to one invoice before this index existed keeps its first row's id; later rows get theirs suffixed.
UPDATE `payments` SET `external_id` = `external_id` || ':dup:' || `id` WHERE `external_id` IS NOT NULL AND rowid > (SELECT min(p2.rowid) FROM `payments` p2 WHERE p2.`invoice_id` = `payments`.`invoice_id` AND p2.`external_id` = `payments`.`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `payments_invoice_external_uq` ON `payments` (`invoice_id`,`external_id`);