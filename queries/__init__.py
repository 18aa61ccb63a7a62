"""What is read off the graph: the named Cypher queries (`*.cypher`) and their runner
(`named.py`), and the read-side libraries on the graph's flows: the summary library
(`summary.summarise`), flow diagrams (`diagram.py`) and exports for other tools
(`export.py`). Below `web/` and `cli/`, above `graph/` (docs/decisions.md, "The house")."""
