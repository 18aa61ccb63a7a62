// Recipient funding summary: per recipient, year and instrument, the euros of lines it is the
// only named recipient of (alone_euros) and the whole amounts of lines it shares with others
// (shared_euros; the documents give no split). The 'unattributed' recipient holds the lines
// whose recipient the documents do not name.
// param recipient: string = null -- an actor id (e.g. ictu); null for every recipient
// param year: integer = null -- one year; null for every year
MATCH (:Actor)-[f:FUNDS]->(r:Actor)
WHERE r.id = coalesce($recipient, r.id) AND f.year = coalesce($year, f.year)
WITH r, f, f.share_count > 1 AS shared
RETURN r.id AS recipient, r.name AS name, f.year AS year, f.instrument AS instrument,
       sum(CASE WHEN shared THEN 0 ELSE f.euros END) AS alone_euros,
       sum(CASE WHEN shared THEN f.euros ELSE 0 END) AS shared_euros
ORDER BY recipient, year, instrument
