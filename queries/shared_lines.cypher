// Budget lines that pay more than one recipient, or whose text names some recipients "o.a."
// (among others: unnamed_others is true, and share_count counts the others as one more, so
// share_count > 1 is what "shared" means): one row per line and year with the whole amount
// (the documents give no split) and the named recipients' ids.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[f:FUNDS]->(:Actor)
WHERE f.year = coalesce($year, f.year) AND f.share_count > 1
RETURN DISTINCT f.year AS year, f.line_id AS line_id, f.line AS line,
       f.instrument AS instrument, f.euros AS euros, f.recipients AS recipients,
       f.unnamed_others AS unnamed_others
ORDER BY year, line_id
