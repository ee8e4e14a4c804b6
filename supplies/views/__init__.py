"""The supplies pages, by subject."""
