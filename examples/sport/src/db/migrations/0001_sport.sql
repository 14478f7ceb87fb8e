CREATE TABLE sport_clubs (
  organization_id text PRIMARY KEY,
  federation_code text NOT NULL CHECK (federation_code ~ '^[A-Z0-9][A-Z0-9-]{1,29}$'),
  disciplines text[] NOT NULL CHECK (cardinality(disciplines) BETWEEN 1 AND 20),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sport_clubs_disciplines ON sport_clubs USING gin (disciplines);

-- provider_id is catalog's, copied when the details are set (to authorize later changes cheaply).
CREATE TABLE sport_details (
  offering_id text PRIMARY KEY,
  provider_id text NOT NULL,
  discipline text NOT NULL CHECK (discipline <> ''),
  level text NOT NULL CHECK (level IN ('BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'COMPETITIVE')),
  age_group text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sport_details_provider ON sport_details (provider_id);
