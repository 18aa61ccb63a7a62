// Recipient funding summary: per recipient, year and instrument, the chosen euros of lines it
// is the only named recipient of (alone_euros) and the whole amounts of lines it shares with
// others (shared_euros; the documents give no split). The 'unattributed' recipient holds the
// lines whose recipient the documents do not name. Chosen: the realisatie where there is
// one, otherwise the newest budget figure.
// param recipient: string = null -- an actor id (e.g. ictu); null for every recipient
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true AND a.year = coalesce($year, a.year)
WITH a, l
MATCH (l)-[p:PAYS]->(r:Actor)
WHERE p.year = a.year AND r.id = coalesce($recipient, r.id)
WITH r, a, l, p.share_count > 1 AS shared
RETURN r.id AS recipient, r.name AS name, a.year AS year, l.instrument AS instrument,
       sum(CASE WHEN shared THEN 0 ELSE a.euros END) AS alone_euros,
       sum(CASE WHEN shared THEN a.euros ELSE 0 END) AS shared_euros
ORDER BY recipient, year, instrument
