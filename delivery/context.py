"""The number of unread documents in the person's inboxes, for the navigation bar (one query)."""

from django.utils.functional import SimpleLazyObject


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        from delivery.models import Delivery
        from delivery.services import inbox_for

        return inbox_for(user).filter(state=Delivery.State.DELIVERED).count()

    return {"inbox_unread": SimpleLazyObject(unread)}
