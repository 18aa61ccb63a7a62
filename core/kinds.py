"""What a document is. Apart from the record model (geldstroom.model, which re-exports it)
because the command line's --kind option needs it at start-up, and the model's pydantic
classes take longer to build than the whole start-up budget."""

from enum import StrEnum


class DocumentKind(StrEnum):
    BEGROTING = "begroting"
    JAARVERSLAG = "jaarverslag"
