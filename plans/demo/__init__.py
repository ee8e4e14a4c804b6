"""The plans app's part of the demo county, by subject (each module registers its step from ``plans/apps.py``)."""
