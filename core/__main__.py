"""`python -m geldstroom`: the same as the console script."""

from geldstroom.cli.main import main

main()
