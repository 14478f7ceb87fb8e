-- One row per (event, recipient address): the record that makes delivery exactly once.
-- 'pending' exists only inside the transaction that is sending; committed rows are 'sent' or 'failed'.
CREATE TABLE deliveries (
  event_id text NOT NULL,
  recipient text NOT NULL,
  event_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  message_id text NOT NULL,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (event_id, recipient),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

CREATE INDEX deliveries_failed ON deliveries (updated_at) WHERE status = 'failed';
