CREATE TABLE `qr_code_routes` (
	`code` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
