"""geldstroom: Dutch budget documents into a reconciled graph of actors and money flows."""

__version__ = "0.1.0"
