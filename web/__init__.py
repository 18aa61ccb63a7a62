"""The local web explorer (`geldstroom serve`): pages and a JSON API over the graph store."""
