"""Reads of dispatch that respect the person's scope, and its statistics."""
