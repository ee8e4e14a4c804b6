"""State changes of logins: reset a password, unlock a locked login, issue and revoke API tokens.

Who may call them is decided before (``grids.scope.may_manage_person`` for a grid leader, the
admin's own permissions for the administrator); these functions only do the change and record it.
"""

from __future__ import annotations

import logging
import secrets

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from rest_framework.authtoken.models import Token

from grids.auth import token_expired
from grids.models import User

log = logging.getLogger(__name__)

# Letters and digits that cannot be mistaken for one another when read out on the phone.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    """A random password like ``k7Qm-x3Fa-9pWz`` (14 characters, about 70 bits)."""
    while True:
        chars = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(12))
        if any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars):
            return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def user_password_reset(*, person: User, by: User) -> str:
    """Give ``person`` a new random password that they must change at their next login.

    Returns the password, to be shown once to ``by``; only its hash is stored. Ends the person's
    sessions (the hash changes) and deletes their API tokens, clears a login lockout, and writes
    the reset in the person's history (who, when). The caller has checked that ``by`` may."""
    password = one_time_password()
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.set_password(password)
        person.must_change_password = True
        person._history_user = by
        person._change_reason = f"password reset by {by.username}"
        person.save(update_fields=["password", "must_change_password"])
        Token.objects.filter(user=person).delete()
    login_unlock(person=person, by=by)
    log.warning("Password of %s reset by %s", person.username, by.username)
    return password


def user_password_set_by_other(*, person: User, by: User) -> None:
    """Someone else (the administrator, in the admin) chose ``person``'s password: they must change
    it at their next login, and their API tokens end."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.must_change_password = True
        person._history_user = by
        person._change_reason = f"password set by {by.username}"
        person.save(update_fields=["must_change_password"])
        Token.objects.filter(user=person).delete()
    log.warning("Password of %s set by %s in the admin", person.username, by.username)


def user_password_changed(*, person: User) -> None:
    """The person chose their own password: no longer asked to change it."""
    if person.must_change_password:
        person.must_change_password = False
        person._change_reason = "password changed after a reset"
        person.save(update_fields=["must_change_password"])


def failed_logins(person: User) -> int:
    """Wrong passwords counted against ``person``'s user name within the lockout window."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(username=person.username, attempt_time__gte=since).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )


def is_locked_out(person: User) -> bool:
    return failed_logins(person) >= settings.AXES_FAILURE_LIMIT


def login_unlock(*, person: User, by: User) -> int:
    """Forget the wrong passwords counted against ``person`` (ends a lockout). Returns how many
    attempt records were removed."""
    count = axes_reset(username=person.username)
    if count:
        log.warning("Login of %s unlocked by %s (%d attempt records)", person.username, by.username, count)
    return count


def token_issue(*, user: User) -> Token:
    """The API token of ``user``: the current one while it is valid, else a new one."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and not token_expired(token):
            return token
        if token is not None:
            token.delete()
        return Token.objects.create(user=user)


def tokens_revoke(*, user: User) -> int:
    """Delete the API tokens of ``user`` (at logout)."""
    count, _ = Token.objects.filter(user=user).delete()
    return count
