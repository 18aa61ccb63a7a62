// Per recipient and year it gets money: its total (alone plus the whole amounts of shared
// lines) and the change from the year before (total minus last year's total, 0 when it got
// nothing last year); change_euros is null in its first year.
// param recipient: string = null -- an actor id (e.g. saip); null for every recipient
MATCH (:Actor)-[f:FUNDS]->(r:Actor)
WHERE r.id = coalesce($recipient, r.id)
WITH r, f.year AS year, sum(f.euros) AS total_euros
MATCH (:Actor)-[g:FUNDS]->(r)
WITH r.id AS recipient, year, total_euros, min(g.year) AS first_year,
     sum(CASE WHEN g.year = year - 1 THEN g.euros ELSE 0 END) AS previous_euros
RETURN recipient, year, total_euros,
       CASE WHEN year = first_year THEN null ELSE total_euros - previous_euros END AS change_euros
ORDER BY recipient, year
