"""The document readers: budget tables, narrative and the recipients it names, read from the
bundled samples, a manifest or plain paths into one Corpus."""
