"""The open-data readers: the Finance ministry's CSV files (budgettaire tabellen,
begrotingsstaten, subsidies, medeoverheden, agentschappen), read, checked and reconciled."""
