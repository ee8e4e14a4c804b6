"""Celery tasks of the incident reports (owned by the incidents work)."""
