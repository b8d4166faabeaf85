CREATE TABLE `job_assignees` (
	`job_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`job_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `job_assignees_user_idx` ON `job_assignees` (`user_id`,`job_id`);