ALTER TABLE `organizations` ADD `slug` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_slug_uq` ON `organizations` (`slug`);--> statement-breakpoint
-- Businesses that signed up before slugs: the name in lower case with spaces and common marks as
-- dashes, and the start of the id so no two are the same.
UPDATE `organizations` SET `slug` = trim(
  replace(replace(replace(replace(replace(replace(replace(replace(lower(`name`), ' ', '-'), '&', '-'), '''', ''), '.', ''), ',', ''), '/', '-'), '"', ''), '--', '-'),
  '-') || '-' || substr(replace(`id`, '-', ''), 1, 6)
WHERE `slug` IS NULL;
