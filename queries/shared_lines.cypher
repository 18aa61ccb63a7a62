// Budget lines that pay more than one recipient, or whose text names some recipients "o.a."
// (among others: unnamed_others is true, and share_count counts the others as one more, so
// share_count > 1 is what "shared" means; a PAYS with its own euros is never shared): one row
// per line and year with the whole amount the group shares (the chosen figure less the
// amounts sources state per recipient; the documents give no split) and the named
// recipients' ids.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true AND a.year = coalesce($year, a.year)
WITH a, l
MATCH (l)-[p:PAYS]->(:Actor)
WHERE p.year = a.year AND p.euros IS NULL AND p.share_count > 1
RETURN DISTINCT a.year AS year, l.id AS line_id, l.label AS line,
       l.instrument AS instrument, a.euros - a.stated_euros AS euros, p.recipients AS recipients,
       p.unnamed_others AS unnamed_others
ORDER BY year, line_id
