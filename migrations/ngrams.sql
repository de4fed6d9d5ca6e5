CREATE OR REPLACE FUNCTION doorstep_ngrams(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT gram)), ''::tsvector)
  FROM (
    SELECT substr(lower(document), position, size) AS gram, size
    FROM generate_series(1, char_length(document)) AS position,
         (VALUES (1), (2)) AS sizes(size)
  ) AS grams
  WHERE char_length(gram) = size AND gram !~ '\s'
$$;
