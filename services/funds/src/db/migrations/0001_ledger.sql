-- The ledger: accounts with running balances and immutable transfers (double entry).
-- Available balance = credits_posted - debits_posted - debits_pending.

CREATE TABLE accounts (
  id text PRIMARY KEY CHECK (id ~ '^(sponsor|fund|program|grant|provider):.+$' OR id = 'payouts'),
  kind text NOT NULL CHECK (kind IN ('SPONSOR', 'FUND', 'PROGRAM', 'GRANT', 'PROVIDER', 'PAYOUTS')),
  -- Protected accounts (fund, program, grant) can never go below zero, counting pending debits.
  protected boolean NOT NULL,
  debits_posted bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accounts_protected_not_negative
    CHECK (NOT protected OR credits_posted - debits_posted - debits_pending >= 0),
  CONSTRAINT accounts_protected_kinds CHECK (protected = (kind IN ('FUND', 'PROGRAM', 'GRANT')))
);

INSERT INTO accounts (id, kind, protected) VALUES ('payouts', 'PAYOUTS', false);

-- A transfer is never updated or deleted. A PENDING transfer is resolved by a
-- second transfer that references it (pending_id): POSTED (the amount actually
-- moved, at most the pending amount) or VOIDED (the full pending amount).
CREATE TABLE transfers (
  id uuid PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  -- Checked at commit: external accounts are opened on first use, after the transfer row.
  debit_account text NOT NULL REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED,
  credit_account text NOT NULL REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'POSTED', 'VOIDED')),
  pending_id uuid REFERENCES transfers (id),
  -- A refund names the posted transfer it gives back.
  reverses_id uuid REFERENCES transfers (id),
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK (debit_account <> credit_account),
  CHECK (status <> 'PENDING' OR pending_id IS NULL),
  CHECK (status <> 'VOIDED' OR pending_id IS NOT NULL)
);

-- A pending transfer is posted or voided exactly once.
CREATE UNIQUE INDEX transfers_resolved_once ON transfers (pending_id) WHERE pending_id IS NOT NULL;
-- A posted transfer is reversed at most once.
CREATE UNIQUE INDEX transfers_reversed_once ON transfers (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX transfers_debit_account ON transfers (debit_account);
CREATE INDEX transfers_credit_account ON transfers (credit_account);
