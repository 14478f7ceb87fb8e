CREATE TABLE categories (
  slug text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z-]*$'),
  name text NOT NULL,
  name_en text NOT NULL,
  position integer NOT NULL UNIQUE
);

INSERT INTO categories (slug, name, name_en, position) VALUES
  ('music', 'Musica', 'Music', 1),
  ('theatre', 'Teatro', 'Theatre', 2),
  ('dance', 'Danza', 'Dance', 3),
  ('visual-arts', 'Arti visive', 'Visual arts', 4),
  ('museum', 'Musei', 'Museums', 5),
  ('cinema', 'Cinema', 'Cinema', 6),
  ('books', 'Libri', 'Books', 7),
  ('language-course', 'Corsi di lingua', 'Language courses', 8),
  ('tutoring', 'Doposcuola e ripetizioni', 'Tutoring', 9),
  ('sport', 'Sport', 'Sport', 10),
  ('other', 'Altro', 'Other', 11);
