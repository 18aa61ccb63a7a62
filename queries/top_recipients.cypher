// The recipients that received the most, counted once: per recipient what `summary NAME`
// counts as received (amounts stated for it, and the rest of each line paying it alone),
// over the year or over all years, largest first, ties by the shared amounts and then by id:
// the same ranking and totals as `summary --year Y` with the same filters (queries/ranking.py;
// tests/test_ranking.py holds them equal). Each euro once: a line whose money is already
// counted as an amount stated for the recipient (p.same_money: agency turnover and its
// ministry's "Bijdrage aan agentschappen: <agency>" line) is not added, and a line it shares
// is apart: shared_euros, the whole amounts, never added. Over all years the total adds up
// different stages, so it is split by stage too: realisatie_euros, begroting_euros
// (vastgestelde begroting, ontwerpbegroting) and raming_euros. 'unattributed' is no
// recipient (see lines_without_recipient). The filters narrow the money that counts.
// param year: integer = null -- one year; null for all years together
// param limit: integer = 10 -- how many recipients
// param hoofdstuk: string = null -- only money of these payers: hoofdstuk codes, comma-separated (XVI or XVI,B)
// param source: string = null -- only money of these sources, comma-separated: document line, budget table line, subsidy, bijdrage medeoverheid, agency turnover, financieel instrument
// param instrument: string = null -- only lines whose instrument contains this text, any case
// param exclude_kinds: string = null -- leave out recipients of these kinds, comma-separated (agentschap,gemeente)
MATCH (l:BudgetLine)-[p:PAYS]->(r:Actor)
WHERE p.year = coalesce($year, p.year) AND r.id <> 'unattributed'
  AND NOT coalesce(p.same_money, false)
  AND NOT (',' + coalesce($exclude_kinds, '') + ',') CONTAINS (',' + r.kind + ',')
  AND (',' + coalesce($hoofdstuk, l.hoofdstuk) + ',') CONTAINS (',' + l.hoofdstuk + ',')
  AND (coalesce($instrument, '') = '' OR lower(l.instrument) CONTAINS lower($instrument))
OPTIONAL MATCH (:Actor)-[a:ALLOCATES]->(l)
WHERE a.chosen = true AND a.year = p.year
WITH r, p, a, coalesce(p.source_kind, a.source_kind) AS source
WHERE (p.euros IS NOT NULL OR a.year IS NOT NULL)
  AND (',' + coalesce($source, source) + ',') CONTAINS (',' + source + ',')
WITH r, p.euros IS NULL AND p.share_count > 1 AS shared,
     coalesce(p.euros, a.euros - a.stated_euros) AS euros, coalesce(p.stage, a.stage) AS stage
WITH r.id AS recipient, r.name AS name, r.kind AS kind,
     sum(CASE WHEN shared THEN 0 ELSE euros END) AS total_euros,
     sum(CASE WHEN shared THEN euros ELSE 0 END) AS shared_euros,
     sum(CASE WHEN NOT shared AND stage = 'realisatie' THEN euros ELSE 0 END)
       AS realisatie_euros,
     sum(CASE WHEN NOT shared AND stage IN ['vastgestelde begroting', 'ontwerpbegroting']
              THEN euros ELSE 0 END) AS begroting_euros,
     sum(CASE WHEN NOT shared AND stage = 'raming' THEN euros ELSE 0 END) AS raming_euros,
     count(*) AS rows
RETURN recipient, name, kind, total_euros, shared_euros, realisatie_euros, begroting_euros,
       raming_euros, rows
ORDER BY total_euros DESC, shared_euros DESC, recipient
LIMIT $limit
