"""The drill pages, by subject: thin — fetch through ``drills.access``, parse with a form, call a service, render."""

from drills.views import media, overview, register

__all__ = ["media", "overview", "register"]
