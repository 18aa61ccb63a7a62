"""The money-flow graph: built in memory (build, open_data), read back (flows), kept in the
embedded store (store, store_flows, default_store) or in Neo4j (neo4j_store); one schema."""
