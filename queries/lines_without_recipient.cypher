// Money whose recipient no source names (the line PAYS 'unattributed'): per line and year
// its instrument, the euros and their stage: the rest of the chosen figure when the
// documents name nobody for the line, and each payment row that names nobody ("X") with
// its own euros.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true AND a.year = coalesce($year, a.year)
WITH a, l
MATCH (l)-[p:PAYS]->(u:Actor)
WHERE u.id = 'unattributed' AND p.year = a.year
RETURN a.year AS year, l.id AS line_id, l.label AS line, l.instrument AS instrument,
       coalesce(p.euros, a.euros - a.stated_euros) AS euros,
       coalesce(p.stage, a.stage) AS stage
ORDER BY year, line_id, euros, stage
