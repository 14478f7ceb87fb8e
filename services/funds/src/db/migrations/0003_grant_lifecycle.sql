-- Issuing grants with claim codes, bulk issuance (Open Day batches), expiry and revocation.

-- Idempotency keys of issueGrant are scoped to the referrer organization.
ALTER TABLE grants DROP CONSTRAINT grants_idempotency_key_key;
CREATE UNIQUE INDEX grants_referrer_idempotency ON grants (referrer_organization_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- One bulk issuance; idempotent per referrer on its key.
CREATE TABLE grant_batches (
  id uuid PRIMARY KEY,
  program_id uuid NOT NULL REFERENCES programs (id),
  referrer_organization_id text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  recipients integer NOT NULL CHECK (recipients BETWEEN 1 AND 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (referrer_organization_id, idempotency_key)
);

ALTER TABLE grants
  -- What the referrer asked for (program + recipient), to tell a retry from a conflicting reuse of a key.
  ADD COLUMN request_hash text,
  -- The claim code sealed with AES-256-GCM (the referrer desk may retry and print it); never in clear.
  ADD COLUMN claim_code_sealed text,
  ADD COLUMN batch_id uuid REFERENCES grant_batches (id),
  ADD COLUMN batch_index integer CHECK (batch_index >= 0),
  ADD COLUMN expiring_notified_at timestamptz,
  ADD COLUMN expired_at timestamptz,
  ADD COLUMN revoked_at timestamptz,
  ADD COLUMN revoked_by text,
  ADD COLUMN revoke_reason text CHECK (length(revoke_reason) <= 500),
  ADD CONSTRAINT grants_batch_item UNIQUE (batch_id, batch_index),
  ADD CONSTRAINT grants_batch_complete CHECK ((batch_id IS NULL) = (batch_index IS NULL));

-- The expiry job's scan: live grants by expiry.
CREATE INDEX grants_live_expiry ON grants (expires_at) WHERE status IN ('ISSUED', 'ACTIVE');
