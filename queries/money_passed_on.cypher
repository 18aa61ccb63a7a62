// Money a recipient passes on to another (ICTU funds IPSE's research programme): who passes
// it on, to whom, on which budget line (path), in which years, and the sentences that say so.
// The documents publish no amount for it.
MATCH (a:Actor)-[p:PASSES_ON]->(b:Actor)
RETURN a.id AS from_id, a.name AS from_name, b.id AS to_id, b.name AS to_name,
       p.path AS path, p.years AS years, p.evidence AS evidence
ORDER BY from_id, to_id, p.id
