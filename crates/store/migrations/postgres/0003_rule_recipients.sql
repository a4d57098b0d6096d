-- A rule may replace the recipients of the email channels it routes to; each delivery
-- keeps the recipients it was routed with.
ALTER TABLE rules ADD COLUMN recipients TEXT;
ALTER TABLE deliveries ADD COLUMN recipients TEXT;
