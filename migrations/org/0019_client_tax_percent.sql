-- A client's tax rate is a percent (0–30, like 10.25), as the business's default and the API are;
-- it was stored as a fraction (0.1025).
UPDATE `org_client_settings` SET `tax_rate` = round(`tax_rate` * 100, 3) WHERE `tax_rate` IS NOT NULL;
