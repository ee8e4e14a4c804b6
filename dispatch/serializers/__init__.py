"""Serializers of the dispatch API, by subject: they parse types and take their limits from the model fields; the services validate."""
