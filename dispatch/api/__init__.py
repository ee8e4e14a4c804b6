"""The dispatch REST API, by subject (thin: parse with ``dispatch.serializers``, call a service or selector); ``dispatch.api_urls`` registers each module on one router."""
