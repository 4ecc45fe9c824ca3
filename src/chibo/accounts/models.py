from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Scope never comes from the user itself but from the positions of the member
    linked to it (members.Member.user); `is_superuser` marks a system administrator."""

    # Two-factor roll-out (issue 14, accounts/twofactor.py): the first request at which this
    # user had to use two-factor; the grace period counts from here. Kept on the user row,
    # which every request loads anyway, so the grace costs no query.
    two_factor_required_since = models.DateTimeField(
        _("two-factor required since"), null=True, blank=True
    )
    # Set when someone other than the user chose the password (an administrator's reset, a new
    # login, in production any password set by someone else); the user is sent to the change
    # page until they choose their own (accounts.middleware.ForcedPasswordChangeMiddleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        db_table = "accounts_user"
