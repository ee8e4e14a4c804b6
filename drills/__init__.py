"""Drills (应急演练) and training: the register app."""
