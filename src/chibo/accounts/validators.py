"""A password validator for what Django's built-in ones let through: the demo's shared password
(published in the README) and a password that contains the username."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

from chibo.core.text import fold

# The demo's default password (demo.common); the demo layer sits above accounts, so it is
# repeated here rather than imported. CHIBO_DEMO_PASSWORD, when set, is refused as well.
DEMO_PASSWORD = "chibo-demo-2026"  # noqa: S105 (a password to refuse, not one in use)

# Django's own texts for its password validators, named here so that makemessages keeps their
# Vietnamese in chibo's catalogue: Django 5.2's length message has no Vietnamese in Django's
# catalogue yet, and Django's Vietnamese help texts address the user as "bạn".
DJANGO_VALIDATOR_TEXTS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
)

# A username shorter than this ("an") is too common a fragment to refuse inside a password.
MIN_USERNAME_FRAGMENT = 3


def _known_passwords() -> set[str]:
    known = {DEMO_PASSWORD}
    configured = os.environ.get("CHIBO_DEMO_PASSWORD", "")
    if configured:
        known.add(configured)
    return {fold(password) for password in known}


class KnownAndUsernamePasswordValidator:
    """Refuses the demo password (in any case) and any password that contains the username
    (case and diacritics ignored)."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = fold(password)
        if folded in _known_passwords():
            raise ValidationError(
                _("This password is published with the chibo demo; choose another one."),
                code="password_known",
            )
        username = fold(getattr(user, "username", "") or "") if user is not None else ""
        if len(username) >= MIN_USERNAME_FRAGMENT and username in folded:
            raise ValidationError(
                _("The password must not contain the username."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("Your password can't be the demo password or contain your username.")
