// Budget lines whose recipient the documents do not name (the line PAYS 'unattributed'):
// per line and year its instrument, chosen euros and their stage.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)-[p:PAYS]->(u:Actor)
WHERE u.id = 'unattributed' AND a.chosen = true AND p.year = a.year
  AND a.year = coalesce($year, a.year)
RETURN a.year AS year, l.id AS line_id, l.label AS line, l.instrument AS instrument,
       a.euros AS euros, a.stage AS stage
ORDER BY year, line_id
