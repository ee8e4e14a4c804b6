"""The Permissions-Policy header, from ``settings.PERMISSIONS_POLICY`` (feature → allowed origins)."""

from django.conf import settings


def _header(policy):
    def allowlist(origins):
        return "(" + " ".join(origin if origin in {"self", "*"} else f'"{origin}"' for origin in origins) + ")"

    return ", ".join(f"{feature}={allowlist(origins)}" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy: geolocation=(self), microphone=(), …`` to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = _header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
