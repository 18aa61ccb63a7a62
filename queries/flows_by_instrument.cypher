// Money per year and instrument, each budget line counted once a year however many
// recipients share it (a shared line has one FUNDS per recipient, all with the whole amount).
// lines is the number of budget lines with money that year.
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[f:FUNDS]->(:Actor)
WHERE f.year = coalesce($year, f.year)
WITH DISTINCT f.year AS year, f.instrument AS instrument, f.line_id AS line_id,
     f.euros AS euros
RETURN year, instrument, sum(euros) AS euros, count(line_id) AS lines
ORDER BY year, instrument
