"""The plans app's parts of the demo county's activity, by subject."""
