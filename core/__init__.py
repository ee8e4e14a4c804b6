"""Shared machinery every app may use (the transactional outbox); it imports no app of ours."""
