// Per recipient and year it gets money: its total (its own stated amounts, plus the rest of
// the chosen amounts of lines it is named for, shared lines whole) and the change from the
// year before. change_euros is null when the
// documents name the recipient for no money in the year before: that year's money may have gone to it
// unnamed (under 'unattributed'), so "unknown" is not turned into "nothing".
// A budget line that changes recipient (O&P Rijk's line goes to RODI in 2024) is a change of
// recipient, not of money: moved_in_euros is this year's money on lines that paid another
// recipient (or nobody named) the year before, moved_out_euros last year's money on lines
// that pay only others now; same_lines_change_euros is the change without them.
// param recipient: string = null -- an actor id (e.g. op-rijk); null for every recipient
MATCH (:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true
WITH a, l
MATCH (l)-[g:PAYS]->(r:Actor)
WHERE g.year = a.year AND r.id = coalesce($recipient, r.id)
OPTIONAL MATCH (l)-[h:PAYS]->(o:Actor)
WHERE h.year = g.year - 1
WITH r, l, a, g, count(h) AS before,
     sum(CASE WHEN o.id = r.id THEN 1 ELSE 0 END) AS before_here
OPTIONAL MATCH (l)-[n:PAYS]->(q:Actor)
WHERE n.year = g.year + 1
WITH r, a, g, before, before_here, count(n) AS after,
     sum(CASE WHEN q.id = r.id THEN 1 ELSE 0 END) AS after_here
WITH r, a, before, before_here, after, after_here,
     coalesce(g.euros, a.euros - a.stated_euros) AS euros
WITH r, a.year AS year, sum(euros) AS total_euros,
     sum(CASE WHEN before > 0 AND before_here = 0 THEN euros ELSE 0 END) AS moved_in_euros,
     sum(CASE WHEN after > 0 AND after_here = 0 THEN euros ELSE 0 END) AS leaving_euros
WITH r, collect({year: year, total: total_euros, moved_in: moved_in_euros,
                 leaving: leaving_euros}) AS years
UNWIND years AS cur
UNWIND years AS prev
WITH r.id AS recipient, cur.year AS year, cur.total AS total_euros,
     cur.moved_in AS moved_in_euros,
     sum(CASE WHEN prev.year = cur.year - 1 THEN prev.total ELSE 0 END) AS previous_euros,
     sum(CASE WHEN prev.year = cur.year - 1 THEN 1 ELSE 0 END) AS previous_years,
     sum(CASE WHEN prev.year = cur.year - 1 THEN prev.leaving ELSE 0 END) AS moved_out_euros
RETURN recipient, year, total_euros,
       CASE WHEN previous_years = 0 THEN null ELSE total_euros - previous_euros END
         AS change_euros,
       moved_in_euros, moved_out_euros,
       CASE WHEN previous_years = 0 THEN null
            ELSE total_euros - previous_euros - moved_in_euros + moved_out_euros END
         AS same_lines_change_euros
ORDER BY recipient, year
