"""mtaudit: audit machine translations of news wire copy (English → Arabic)."""

__version__ = "0.1.0"
