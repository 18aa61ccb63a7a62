// Per recipient and year it gets money: its total (alone plus the whole amounts of shared
// lines) and the change from the year before. change_euros is null when the documents name
// the recipient for no money in the year before: that year's money may have gone to it
// unnamed (under 'unattributed'), so "unknown" is not turned into "nothing".
// param recipient: string = null -- an actor id (e.g. saip); null for every recipient
MATCH (:Actor)-[f:FUNDS]->(r:Actor)
WHERE r.id = coalesce($recipient, r.id)
WITH r, f.year AS year, sum(f.euros) AS total_euros
MATCH (:Actor)-[g:FUNDS]->(r)
WITH r.id AS recipient, year, total_euros,
     sum(CASE WHEN g.year = year - 1 THEN g.euros ELSE 0 END) AS previous_euros,
     sum(CASE WHEN g.year = year - 1 THEN 1 ELSE 0 END) AS previous_flows
RETURN recipient, year, total_euros,
       CASE WHEN previous_flows = 0 THEN null ELSE total_euros - previous_euros END AS change_euros
ORDER BY recipient, year
