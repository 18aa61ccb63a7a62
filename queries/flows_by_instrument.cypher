// Money per year and instrument: each budget line's chosen figure (the realisatie where there
// is one, otherwise the newest budget figure) counted once a year, however many recipients
// share the line. lines is the number of budget lines with money that year.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true AND a.year = coalesce($year, a.year)
RETURN a.year AS year, l.instrument AS instrument, sum(a.euros) AS euros,
       count(DISTINCT l.id) AS lines
ORDER BY year, instrument
