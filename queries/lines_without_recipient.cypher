// Budget lines whose recipient the documents do not name (their FUNDS go to 'unattributed'):
// per line and year its instrument, euros and stage.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[f:FUNDS]->(u:Actor)
WHERE u.id = 'unattributed' AND f.year = coalesce($year, f.year)
RETURN f.year AS year, f.line_id AS line_id, f.line AS line, f.instrument AS instrument,
       f.euros AS euros, f.stage AS stage
ORDER BY year, line_id
