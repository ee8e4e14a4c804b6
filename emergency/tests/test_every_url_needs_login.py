"""A safety net under the scope rule: no page or API endpoint answers an anonymous visitor."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "set_language", "javascript-catalog", "favicon"}


def all_paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue  # the admin has its own login, tested with the admin
            yield from all_paths(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name not in PUBLIC:
            route = prefix + str(entry.pattern)
            route = re.sub(r"<int:\w+>", "1", route)
            route = re.sub(r"<(?:str|slug):\w+>", "x", route)
            route = re.sub(r"<\w+>", "1", route)
            route = route.replace("^", "").replace("$", "").replace("\\.", ".")
            if "(?P" in route or "\\" in route:
                continue  # DRF's format-suffix variants of the routes already covered
            yield entry.name, "/" + route


@pytest.mark.parametrize(("name", "path"), sorted(set(all_paths())))
def test_anonymous_visitor_gets_nothing(client, db, name, path):
    response = client.get(path)
    assert response.status_code in {302, 401, 403, 404, 405}, (name, path, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/"), (name, path, response["Location"])
