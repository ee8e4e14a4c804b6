"""Reads of the resources app, by subject; each takes the user and goes through ``resources.access``."""
