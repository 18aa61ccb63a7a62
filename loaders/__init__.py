"""Reading the sources: documents (loaders/documents), open data (loaders/opendata) and the
actor register (loaders/actors), each a folder of its own."""
