// How money reaches an actor: the distinct paths from a payer (a minister, a fund or another
// hoofdstuk's payer) of at most 3 hops, as the sequence of actor ids; no actor twice on one
// path. A hop is the payer's money through one of its budget lines to an actor the line pays
// (ALLOCATES then PAYS), or PASSES_ON (passes money on) or PART_OF (is part of: money to KOOP
// reaches Logius). INSTRUMENT_LINK carries no money and is not followed. Written out per
// length and kind of hop instead of `*1..3`, so both engines return the actor ids without a
// list comprehension and with the same path semantics.
// param recipient: string = null -- an actor id (e.g. ipse); null for every actor
MATCH (m:Actor)-[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND r.id <> m.id
RETURN DISTINCT r.id AS recipient, [m.id, r.id] AS path, 1 AS hops
UNION
MATCH (m:Actor)-[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND r.id <> m.id
RETURN DISTINCT r.id AS recipient, [m.id, r.id] AS path, 1 AS hops
UNION
MATCH (m:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(a:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND r.id <> m.id AND r.id <> a.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, r.id] AS path, 2 AS hops
UNION
MATCH (m:Actor)-[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(a:Actor)-[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND r.id <> m.id AND r.id <> a.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, r.id] AS path, 2 AS hops
UNION
MATCH (m:Actor)-[:PASSES_ON|PART_OF]->(a:Actor)-[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND r.id <> m.id AND r.id <> a.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, r.id] AS path, 2 AS hops
UNION
MATCH (m:Actor)-[:PASSES_ON|PART_OF]->(a:Actor)-[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND r.id <> m.id AND r.id <> a.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, r.id] AS path, 2 AS hops
UNION
MATCH (m:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(a:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(b:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(a:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(b:Actor)
      -[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(a:Actor)
      -[:PASSES_ON|PART_OF]->(b:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(a:Actor)
      -[:PASSES_ON|PART_OF]->(b:Actor)
      -[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:PASSES_ON|PART_OF]->(a:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(b:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:PASSES_ON|PART_OF]->(a:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(b:Actor)
      -[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:PASSES_ON|PART_OF]->(a:Actor)
      -[:PASSES_ON|PART_OF]->(b:Actor)
      -[:ALLOCATES]->(:BudgetLine)-[:PAYS]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
UNION
MATCH (m:Actor)
      -[:PASSES_ON|PART_OF]->(a:Actor)
      -[:PASSES_ON|PART_OF]->(b:Actor)
      -[:PASSES_ON|PART_OF]->(r:Actor)
WHERE m.kind IN ['minister', 'fund', 'payer'] AND r.id = coalesce($recipient, r.id)
  AND a.id <> m.id AND b.id <> m.id AND b.id <> a.id
  AND r.id <> m.id AND r.id <> a.id AND r.id <> b.id
RETURN DISTINCT r.id AS recipient, [m.id, a.id, b.id, r.id] AS path, 3 AS hops
