-- Settlement: runs group captured payments into one payout per provider; an
-- approved run posts its payouts (provider → payouts) and keeps its bank files.

CREATE TABLE settlement_runs (
  id uuid PRIMARY KEY,
  community_id text NOT NULL,
  period_end date NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'PENDING_APPROVAL', 'APPROVED', 'FAILED')),
  -- Captures up to this instant are settled: fixed when the run first starts, so a resumed run sees the same set.
  cutoff_at timestamptz,
  -- [{ providerId, reason, amountCents }]: providers whose captures stay unsettled (e.g. no IBAN).
  skipped_providers jsonb NOT NULL DEFAULT '[]',
  failure_reason text,
  created_by text NOT NULL,
  approved_by text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at timestamptz,
  finished_at timestamptz,
  approved_at timestamptz,
  CHECK (status <> 'APPROVED' OR (approved_by IS NOT NULL AND approved_by <> created_by))
);
CREATE INDEX settlement_runs_community ON settlement_runs (community_id, created_at DESC);
CREATE INDEX settlement_runs_unfinished ON settlement_runs (created_at) WHERE status IN ('QUEUED', 'RUNNING');

-- One payout per provider and run.
CREATE TABLE payouts (
  id uuid PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES settlement_runs (id),
  provider_id text NOT NULL,
  provider_name text NOT NULL,
  iban text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING_APPROVAL', 'APPROVED', 'PAID', 'FAILED')),
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  redemption_count integer NOT NULL CHECK (redemption_count >= 0),
  -- provider → payouts, posted at approval; payouts → provider when the bank transfer failed.
  transfer_id uuid REFERENCES transfers (id),
  return_transfer_id uuid REFERENCES transfers (id),
  bank_reference text,
  failure_reason text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  approved_at timestamptz,
  paid_at timestamptz,
  failed_at timestamptz,
  UNIQUE (run_id, provider_id),
  CHECK (status = 'PENDING_APPROVAL' OR status = 'FAILED' OR transfer_id IS NOT NULL),
  CHECK (status <> 'PAID' OR bank_reference IS NOT NULL)
);
CREATE INDEX payouts_run ON payouts (run_id);

-- The captures a payout pays. A capture is in at most one live payout (released
-- items belong to a failed payout; their captures go into the next run).
CREATE TABLE payout_items (
  payout_id uuid NOT NULL REFERENCES payouts (id),
  transfer_id uuid NOT NULL REFERENCES transfers (id),
  redemption_id text,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  released_at timestamptz,
  PRIMARY KEY (payout_id, transfer_id)
);
CREATE UNIQUE INDEX payout_items_transfer_live ON payout_items (transfer_id) WHERE released_at IS NULL;
CREATE INDEX payout_items_redemption ON payout_items (redemption_id);

-- The bank and accounting files of an approved run (written with the approval, never changed).
CREATE TABLE settlement_files (
  run_id uuid PRIMARY KEY REFERENCES settlement_runs (id),
  message_id text NOT NULL,
  sepa_xml text,
  csv text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Finding a provider's captures waiting for settlement.
CREATE INDEX transfers_captures ON transfers (credit_account, created_at) WHERE kind = 'CAPTURE' AND status = 'POSTED';
