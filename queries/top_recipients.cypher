// The recipients that get the most: per recipient its total (alone_euros, its own stated
// amounts and the lines it alone is named for, plus the whole amounts of the lines it
// shares, shared_euros; the documents give no split, so a shared line counts in full for
// each of its recipients; a line-year's stated amounts are taken off what its rest shares) over the year or over all years, largest
// first, ties by id, from each line's chosen figure (the realisatie where there is one,
// otherwise the newest budget figure). Over all years the total adds up different stages, so
// it is split by stage too: realisatie_euros (spent), begroting_euros (vastgestelde begroting
// and ontwerpbegroting: budgeted) and raming_euros (planned later years). 'unattributed' is
// left out: it is no recipient but the lines whose recipient the documents do not name (see
// lines_without_recipient).
// param year: integer = null -- one year; null for all years together
// param limit: integer = 10 -- how many recipients
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true AND a.year = coalesce($year, a.year)
WITH a, l
MATCH (l)-[p:PAYS]->(r:Actor)
WHERE p.year = a.year AND r.id <> 'unattributed'
WITH r, p.euros IS NULL AND p.share_count > 1 AS shared,
     coalesce(p.euros, a.euros - a.stated_euros) AS euros, coalesce(p.stage, a.stage) AS stage
WITH r.id AS recipient, r.name AS name,
     sum(CASE WHEN shared THEN 0 ELSE euros END) AS alone_euros,
     sum(CASE WHEN shared THEN euros ELSE 0 END) AS shared_euros,
     sum(CASE WHEN stage = 'realisatie' THEN euros ELSE 0 END) AS realisatie_euros,
     sum(CASE WHEN stage IN ['vastgestelde begroting', 'ontwerpbegroting'] THEN euros
              ELSE 0 END) AS begroting_euros,
     sum(CASE WHEN stage = 'raming' THEN euros ELSE 0 END) AS raming_euros
RETURN recipient, name, alone_euros + shared_euros AS total_euros, alone_euros, shared_euros,
       realisatie_euros, begroting_euros, raming_euros
ORDER BY total_euros DESC, recipient
LIMIT $limit
