"""Demo data of the plans app, by subject."""
