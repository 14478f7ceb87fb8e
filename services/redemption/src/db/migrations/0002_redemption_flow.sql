-- Redemptions: one row per attempt to spend a grant on an offering (a saga
-- over catalog seats and funds payments). `intent` marks a step in flight
-- (compensate, confirm, cancel, expire, refund): set with a conditional
-- update so one worker at a time owns the row, cleared when the step ends.
CREATE TABLE redemptions (
  id uuid PRIMARY KEY,
  holder_user_id text NOT NULL,
  grant_id text NOT NULL,
  offering_id text NOT NULL,
  provider_id text NOT NULL,
  community_id text NOT NULL,
  offering_title text NOT NULL,
  category text NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  idempotency_key text NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL DEFAULT 'PENDING'
    CHECK (status IN ('PENDING', 'AUTHORIZED', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED', 'FAILED')),
  code text UNIQUE CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{8}$'),
  intent text CHECK (intent IN ('COMPENSATE', 'CONFIRM', 'CANCEL', 'EXPIRE', 'REFUND')),
  intent_amount_cents integer,
  intent_at timestamptz,
  failure_code text,
  failure_reason text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  authorized_at timestamptz,
  expires_at timestamptz,
  confirmed_at timestamptz,
  UNIQUE (holder_user_id, idempotency_key),
  CHECK (status <> 'AUTHORIZED' OR (code IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX redemptions_grant ON redemptions (grant_id, created_at);
CREATE INDEX redemptions_provider ON redemptions (provider_id, status, created_at);
CREATE INDEX redemptions_pending ON redemptions (created_at) WHERE status = 'PENDING';
CREATE INDEX redemptions_intent ON redemptions (intent_at) WHERE intent IS NOT NULL;
CREATE INDEX redemptions_due ON redemptions (expires_at) WHERE status = 'AUTHORIZED';
