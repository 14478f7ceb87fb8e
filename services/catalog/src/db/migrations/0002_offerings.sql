-- Offerings of providers, their full-text search document, and seat reservations.

-- Accent folding for search. unaccent ships with PostgreSQL contrib; where it
-- cannot be installed (e.g. embedded PGlite without the extension loaded)
-- translate() folds the accented letters of Italian and its neighbours.
DO $migration$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'unaccent is not available; folding accents with translate()';
  END;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
    -- unaccent() is only STABLE (its dictionary could change); naming the
    -- dictionary explicitly makes this wrapper safe to declare IMMUTABLE.
    EXECUTE $fn$
      CREATE FUNCTION catalog_fold(text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $body$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $body$
    $fn$;
  ELSE
    EXECUTE $fn$
      CREATE FUNCTION catalog_fold(text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $body$ SELECT translate(lower($1),
        'àáâãäåāèéêëēìíîïīòóôõöōùúûüūñçýÿ',
        'aaaaaaaeeeeeiiiiioooooouuuuuncyy') $body$
    $fn$;
  END IF;
END
$migration$;

CREATE TABLE offerings (
  id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  provider_id text NOT NULL,
  community_id text NOT NULL,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 5000),
  category text NOT NULL REFERENCES categories (slug),
  price_cents integer NOT NULL CHECK (price_cents > 0),
  capacity integer CHECK (capacity IS NULL OR capacity >= 1),
  seats_reserved integer NOT NULL DEFAULT 0,
  starts_at timestamptz,
  ends_at timestamptz,
  min_age integer CHECK (min_age IS NULL OR min_age BETWEEN 0 AND 120),
  max_age integer CHECK (max_age IS NULL OR max_age BETWEEN 0 AND 120),
  status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
  -- Truncated to milliseconds so the value round-trips through a cursor exactly.
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz,
  archived_at timestamptz,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('italian'::regconfig, catalog_fold(title)), 'A') ||
    setweight(to_tsvector('italian'::regconfig, catalog_fold(coalesce(description, ''))), 'B')
  ) STORED,
  -- Seats are never oversold, whatever the concurrency: the database refuses it.
  CONSTRAINT offerings_seats_within_capacity
    CHECK (seats_reserved >= 0 AND (capacity IS NULL OR seats_reserved <= capacity)),
  CONSTRAINT offerings_ends_after_start CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at >= starts_at),
  CONSTRAINT offerings_age_range CHECK (min_age IS NULL OR max_age IS NULL OR min_age <= max_age)
);

-- The public listing: published offerings in a stable (created_at, id) order.
CREATE INDEX offerings_published_order ON offerings (created_at, id) WHERE status = 'PUBLISHED';
CREATE INDEX offerings_community ON offerings (community_id, created_at, id) WHERE status = 'PUBLISHED';
CREATE INDEX offerings_provider ON offerings (provider_id, created_at, id);
CREATE INDEX offerings_search ON offerings USING gin (search);

-- One row per redemption that holds (or held) a seat. A release keeps the row
-- (released_at set) so repeating a release or a reservation is harmless; a
-- release that arrives before its reservation leaves a row without offering,
-- so the late reservation is refused instead of taking a seat nobody frees.
CREATE TABLE seat_reservations (
  redemption_id text PRIMARY KEY,
  offering_id text REFERENCES offerings (id),
  reserved_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  released_at timestamptz,
  CHECK (offering_id IS NOT NULL OR released_at IS NOT NULL)
);
CREATE INDEX seat_reservations_offering ON seat_reservations (offering_id) WHERE released_at IS NULL;
