"""The supplies demo data, by subject."""
