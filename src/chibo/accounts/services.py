"""Every change to a login: passwords (changed by the user, reset through an e-mailed link,
reset by an administrator), activation, and a new login for a member. Each writes one audit
entry; no password, temporary or not, ever reaches the audit log or a log line."""

from __future__ import annotations

import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core import audit
from chibo.core.errors import ServiceError
from chibo.members import services as member_services
from chibo.members.models import Member

# Temporary passwords: four groups of four from an alphabet without look-alikes (0/O, 1/l/I),
# read out or copied from the administrator's screen once; about 80 bits.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    groups = ("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def _organization(user: User) -> Any:
    member = Member.objects.filter(user=user).select_related("cell").first()
    return member.cell if member is not None else None


def contact_email(user: User) -> str:
    """Where a reset e-mail for `user` goes: the login's own address, else the linked
    member's."""
    if user.email:
        return user.email
    member = Member.objects.filter(user=user).only("email").first()
    return member.email if member is not None else ""


def password_set_by_other(*, user: User) -> None:
    """Mark a password that someone other than the user chose, in production (the
    `changepassword` command); the demo and development keep such passwords usable."""
    if settings.PRODUCTION and not user.must_change_password:
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])


@transaction.atomic
def user_password_change(*, user: User, actor: Any, password: str) -> User:
    """The user chose their own password (the change page): it replaces the old one and ends
    any forced change. The form has run the validators."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(
        actor=actor, code="user.password_changed", target=user, organization=_organization(user)
    )
    return user


@transaction.atomic
def user_password_reset_complete(*, user: User, password: str) -> User:
    """The user chose a new password through an e-mailed reset link: it replaces the old one,
    ends any forced change and unlocks the username if too many failures had locked it (the
    reset proved the user holds the address)."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.get_username())
    audit.record(
        actor=user, code="user.password_reset", target=user, organization=_organization(user)
    )
    return user


def password_reset_mail(*, user: User, to_email: str) -> None:
    """Send the Vietnamese reset e-mail with a one-time link (Django's token: it stops
    working once the password changes, and after PASSWORD_RESET_TIMEOUT). The link points to
    CHIBO_BASE_URL, never to the request's Host header."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": settings.CHIBO_BASE_URL.rstrip("/") + path,
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    subject = render_to_string("accounts/password/reset_subject.txt", context).strip()
    body = render_to_string("accounts/password/reset_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to_email])


@transaction.atomic
def user_password_reset_by_admin(*, user: User, actor: Any, by_email: bool) -> str:
    """An administrator resets a login's password: either a temporary password, returned to
    be shown once, or a reset e-mail to the login's address (returned as ""). Either way the
    user must choose a new password at the next login, and the username is unlocked."""
    if by_email:
        address = contact_email(user)
        if not address:
            raise ServiceError(
                _("This login has no e-mail address; give a temporary password instead.")
            )
    password = "" if by_email else temporary_password()
    if password:
        user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.get_username())
    audit.record(
        actor=actor,
        code="user.password_reset_by_admin",
        target=user,
        organization=_organization(user),
        changes={"method": "email" if by_email else "temporary"},
    )
    if by_email:
        transaction.on_commit(lambda: password_reset_mail(user=user, to_email=address))
    return password


@transaction.atomic
def user_set_active(*, user: User, actor: Any, active: bool) -> User:
    """Allow or stop a login. An administrator cannot stop their own."""
    if not active and user.pk == getattr(actor, "pk", None):
        raise ServiceError(_("An administrator cannot deactivate their own login."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        code="user.activated" if active else "user.deactivated",
        target=user,
        organization=_organization(user),
        changes={"is_active": [not active, active]},
    )
    return user


@transaction.atomic
def user_create_for_member(*, member: Member, actor: Any, username: str) -> tuple[User, str]:
    """Give a member who has none a login with a temporary password (returned to be shown
    once); the member must choose their own password at the first login."""
    if member.user_id is not None:
        raise ServiceError(_("This member already has a login."))
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("This username is already taken."))
    password = temporary_password()
    user = User(
        username=username,
        first_name=member.full_name[:150],
        email=member.email,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    member_services.member_link_user(actor=actor, member=member, user=user)
    audit.record(actor=actor, code="user.created", target=user, organization=member.cell)
    return user, password
