"""``may``: what the person may do, for the links of the navigation and the home page.

Each app registers its checks (``core.registry.register_desk_check``) from its access module;
a template asks ``{% if may.report_hazard %}`` and the check runs once per request, only when asked."""

from __future__ import annotations

from core.registry import desk_check


class Desk:
    def __init__(self, user):
        self._user = user
        self._answers: dict[str, bool] = {}

    def __getitem__(self, name: str) -> bool:
        if name not in self._answers:
            check = desk_check(name)
            self._answers[name] = bool(check and check(self._user))
        return self._answers[name]

    def __contains__(self, name: str) -> bool:
        return desk_check(name) is not None


def desk(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"may": Desk(user)}
