CREATE TABLE `due_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);--> statement-breakpoint
-- What moves the next due time bumps this counter, so the object re-reads that time only then.
INSERT INTO `due_version` (`id`, `n`) VALUES (1, 0);--> statement-breakpoint
CREATE TRIGGER `due_reminders_ins` AFTER INSERT ON `reminders` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_reminders_del` AFTER DELETE ON `reminders` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_reminders_upd` AFTER UPDATE OF `status`, `send_at` ON `reminders` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_messages_ins` AFTER INSERT ON `messages` WHEN NEW.`status` = 'deferred' BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_messages_del` AFTER DELETE ON `messages` WHEN OLD.`status` = 'deferred' BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_messages_upd` AFTER UPDATE OF `status`, `send_after` ON `messages` WHEN OLD.`status` = 'deferred' OR NEW.`status` = 'deferred' BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_enrollments_ins` AFTER INSERT ON `enrollments` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_enrollments_del` AFTER DELETE ON `enrollments` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_enrollments_upd` AFTER UPDATE OF `status`, `next_step_at`, `ended_at`, `archived_at`, `journey_id` ON `enrollments` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_journeys_ins` AFTER INSERT ON `journeys` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_journeys_del` AFTER DELETE ON `journeys` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_journeys_upd` AFTER UPDATE OF `status` ON `journeys` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_campaigns_ins` AFTER INSERT ON `campaigns` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_campaigns_del` AFTER DELETE ON `campaigns` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_campaigns_upd` AFTER UPDATE OF `status`, `send_at`, `started_at` ON `campaigns` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_review_alerts_ins` AFTER INSERT ON `review_alerts` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_review_alerts_del` AFTER DELETE ON `review_alerts` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;--> statement-breakpoint
CREATE TRIGGER `due_review_alerts_upd` AFTER UPDATE OF `sent_at`, `created_at` ON `review_alerts` BEGIN UPDATE `due_version` SET `n` = `n` + 1 WHERE `id` = 1; END;
