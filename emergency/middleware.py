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


class QueuedFormRedirectMiddleware:
    """A form the phone's script posts (``X-Offline-Form: 1``, static/offline/offline.js) gets its
    redirect as ``X-Redirect-To`` on a 200 instead of a 302. The browser's XHR would otherwise follow
    the redirect itself and read the next page, using up its one-time message ("已记录"), and the
    script's navigation to that page would show it without. The response is changed in place, so the
    cookies the session and messages set on it stay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("X-Offline-Form") == "1"
            and response.status_code in (301, 302, 303)
            and response.has_header("Location")
        ):
            response["X-Redirect-To"] = response["Location"]
            del response["Location"]
            response.status_code = 200
        return response
