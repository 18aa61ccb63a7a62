// Recipient funding summary: per recipient, year and instrument, what it gets alone
// (alone_euros: its own amounts as a source states them, and the chosen euros of lines it is
// the only named recipient of) and the whole amounts of lines it shares with others
// (shared_euros; the documents give no split). A PAYS with euros is that recipient's own
// amount; one without shares the rest of the line-year, a.euros - a.stated_euros. The
// 'unattributed' recipient holds the money whose recipient no source names. Chosen: the
// realisatie where there is one, otherwise the newest budget figure.
// param recipient: string = null -- an actor id (e.g. ictu); null for every recipient
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true AND a.year = coalesce($year, a.year)
WITH a, l
MATCH (l)-[p:PAYS]->(r:Actor)
WHERE p.year = a.year AND r.id = coalesce($recipient, r.id)
WITH r, a, l, p.euros IS NULL AND p.share_count > 1 AS shared,
     coalesce(p.euros, a.euros - a.stated_euros) AS euros
RETURN r.id AS recipient, r.name AS name, a.year AS year, l.instrument AS instrument,
       sum(CASE WHEN shared THEN 0 ELSE euros END) AS alone_euros,
       sum(CASE WHEN shared THEN euros ELSE 0 END) AS shared_euros
ORDER BY recipient, year, instrument
