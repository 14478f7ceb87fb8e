-- Funds, contributions, programs and grants. Organization, community,
-- beneficiary and user ids belong to identity and are stored as opaque text.

CREATE TABLE funds (
  id uuid PRIMARY KEY,
  community_id text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funds_community ON funds (community_id);

CREATE TABLE contributions (
  id uuid PRIMARY KEY,
  fund_id uuid NOT NULL REFERENCES funds (id),
  sponsor_organization_id text NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  note text,
  status text NOT NULL CHECK (status IN ('PLEDGED', 'RECEIVED', 'CANCELLED')),
  idempotency_key text NOT NULL,
  recorded_by text NOT NULL,
  transfer_id uuid REFERENCES transfers (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  received_at timestamptz,
  cancelled_at timestamptz,
  -- Idempotency keys are scoped to the sponsor.
  UNIQUE (sponsor_organization_id, idempotency_key),
  CHECK ((status = 'RECEIVED') = (transfer_id IS NOT NULL))
);
CREATE INDEX contributions_fund ON contributions (fund_id);

CREATE TABLE programs (
  id uuid PRIMARY KEY,
  fund_id uuid NOT NULL REFERENCES funds (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  grant_amount_cents bigint NOT NULL CHECK (grant_amount_cents > 0),
  budget_cents bigint NOT NULL CHECK (budget_cents >= grant_amount_cents),
  min_age integer CHECK (min_age BETWEEN 0 AND 120),
  max_age integer CHECK (max_age BETWEEN 0 AND 120),
  referrer_organization_ids text[] NOT NULL DEFAULT '{}',
  eligible_categories text[] NOT NULL DEFAULT '{}',
  eligible_provider_ids text[] NOT NULL DEFAULT '{}',
  eligible_offering_ids text[] NOT NULL DEFAULT '{}',
  issue_until date,
  spend_deadline date NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age),
  CHECK (issue_until IS NULL OR spend_deadline > issue_until)
);
CREATE INDEX programs_fund ON programs (fund_id);

CREATE TABLE grants (
  id uuid PRIMARY KEY,
  program_id uuid NOT NULL REFERENCES programs (id),
  beneficiary_id text NOT NULL,
  holder_user_id text,
  status text NOT NULL CHECK (status IN ('ISSUED', 'ACTIVE', 'EXPIRED', 'REVOKED')),
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  claim_code_hash text UNIQUE,
  idempotency_key text UNIQUE,
  issued_by text NOT NULL,
  referrer_organization_id text,
  expires_at timestamptz NOT NULL,
  claimed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- One grant per beneficiary per program.
  UNIQUE (program_id, beneficiary_id),
  CHECK (status <> 'ACTIVE' OR holder_user_id IS NOT NULL)
);
CREATE INDEX grants_holder ON grants (holder_user_id) WHERE holder_user_id IS NOT NULL;
