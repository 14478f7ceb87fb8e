CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND email <> ''),
  password_hash text NOT NULL,
  display_name text NOT NULL CHECK (btrim(display_name) <> ''),
  locale text NOT NULL DEFAULT 'it',
  roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['OPERATOR']),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Rotating refresh tokens: only the SHA-256 of each token is stored. A family
-- is one sign-in; presenting an already rotated token revokes the family.
CREATE TABLE refresh_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  rotated_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE communities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (btrim(name) <> ''),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_id uuid NOT NULL REFERENCES communities (id),
  name text NOT NULL CHECK (btrim(name) <> ''),
  kind text NOT NULL CHECK (kind IN ('SPONSOR', 'SCHOOL', 'SOCIAL_AGENCY', 'PROVIDER')),
  tax_code text,
  iban text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  email text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organizations_community ON organizations (community_id, kind, name);

CREATE TABLE memberships (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('ADMIN', 'STAFF')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Grant recipients: the only place their names live. One row per person and
-- community (normalized names + birth date); concurrent inserts of the same
-- person meet on the unique index.
CREATE TABLE beneficiaries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  community_id uuid NOT NULL REFERENCES communities (id),
  first_name text NOT NULL,
  last_name text NOT NULL,
  first_name_key text NOT NULL,
  last_name_key text NOT NULL,
  birth_date date NOT NULL,
  email text,
  guardian_email text,
  holder_user_id uuid REFERENCES users (id),
  guardian_consent_at timestamptz,
  guardian_consent_user_id uuid REFERENCES users (id),
  guardian_consent_version text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (community_id, last_name_key, first_name_key, birth_date),
  CHECK ((guardian_consent_at IS NULL) = (guardian_consent_user_id IS NULL)),
  CHECK ((guardian_consent_at IS NULL) = (guardian_consent_version IS NULL))
);
CREATE INDEX beneficiaries_holder ON beneficiaries (holder_user_id);

-- Every organization that referred a beneficiary (its staff may see the names).
CREATE TABLE beneficiary_referrals (
  beneficiary_id uuid NOT NULL REFERENCES beneficiaries (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (beneficiary_id, organization_id)
);
