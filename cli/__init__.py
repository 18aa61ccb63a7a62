"""The command line: each command parses its options, makes one library call and renders
the answer. `geldstroom.cli.main` is the console script; `geldstroom.cli.app` the commands."""
