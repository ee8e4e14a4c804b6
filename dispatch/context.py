"""叫应 on every page: the warnings in force that the person's own units have not acknowledged,
for the red banner (with its one-tap 签收) and the badge on 预警. One query, only on pages that
show the navigation (the value is lazy)."""

from django.utils.functional import SimpleLazyObject


def unacknowledged_warnings(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def pending() -> dict:
        from dispatch.selectors.warnings import BANNER_LIMIT, awaiting_acknowledgement, banner_rows

        deliveries = awaiting_acknowledgement(user)
        count = len(deliveries)
        return {
            "rows": banner_rows(deliveries),
            "count": f"{BANNER_LIMIT}+" if count > BANNER_LIMIT else count,
            "more": count > BANNER_LIMIT,
        }

    return {"warnings_pending": SimpleLazyObject(pending)}
