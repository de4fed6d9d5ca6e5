-- The unigrams and bigrams of a text, lower-cased, whitespace excluded: a search
-- vector that works on Chinese whatever the server's locale. A loop in PL/pgSQL is
-- about four times faster than the same in set-returning SQL.
CREATE OR REPLACE FUNCTION doorstep_ngrams(document text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  lowered text := lower(document);
  grams text[] := '{}';
  current_char text;
  next_char text;
BEGIN
  FOR position IN 1..char_length(lowered) LOOP
    current_char := substr(lowered, position, 1);
    CONTINUE WHEN current_char ~ '\s';
    grams := grams || current_char;
    next_char := substr(lowered, position + 1, 1);
    IF next_char <> '' AND next_char !~ '\s' THEN
      grams := grams || (current_char || next_char);
    END IF;
  END LOOP;
  RETURN array_to_tsvector(grams);
END
$$;
