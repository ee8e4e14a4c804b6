"""Forms of dispatch, by subject: they parse input into typed values (limits from the model fields); the services decide the rest."""
