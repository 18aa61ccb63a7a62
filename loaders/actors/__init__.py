"""The actor register: the identity of every organisation. Name claims from the curated list,
the payers, the ZBO/RWT registers, the open data and the documents, joined by identity key
into one actor per organisation; merges and splits by override."""
