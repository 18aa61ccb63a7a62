"""`python -m geldstroom`: the same as the console script."""

from geldstroom.main import main

main()
