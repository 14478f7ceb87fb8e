-- The redemption service's own tables arrive with the redemption flow; the
-- outbox (platform migration) is already here.
SELECT 1;
