"""The plans app's demo data, by subject (each module registers its own step in plans.apps)."""
