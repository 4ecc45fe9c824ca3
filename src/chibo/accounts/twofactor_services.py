"""Every change to a user's two-factor state (issue 14). One transaction, one audit entry each.

The authenticator app is django-otp's `TOTPDevice` (RFC 6238, 6 digits, 30 s, one step of
tolerance); the recovery codes are the tokens of one `StaticDevice` (each works once, it is
deleted when used). Both devices throttle failed codes themselves (exponential back-off,
django-otp's `ThrottlingMixin`); the services report the wait instead of checking the code.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from chibo.core import audit
from chibo.core.errors import ServiceError

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"


def new_secret() -> str:
    """A fresh TOTP key (20 random bytes, hex), kept in the session until it is confirmed."""
    return random_hex(20)


def normalise_code(raw: str) -> str:
    """A code as typed: spaces and dashes dropped, lower case (recovery codes are base32)."""
    return "".join(raw.split()).replace("-", "").lower()


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def twofactor_requirement_sync(*, user: Any, required: bool, now: datetime.datetime) -> None:
    """Start the grace period at the first request where two-factor is required of the user;
    forget it when it no longer is (a later requirement starts a new grace period)."""
    if required and user.two_factor_required_since is None:
        user.two_factor_required_since = now
        code = "twofactor.grace_started"
    elif not required and user.two_factor_required_since is not None:
        user.two_factor_required_since = None
        code = "twofactor.requirement_ended"
    else:
        return
    with transaction.atomic():
        user.save(update_fields=["two_factor_required_since"])
        audit.record(actor=user, code=code, target=user)


def twofactor_enable(*, user: Any, secret: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator app holding `secret` with a code it shows now, replace any
    earlier device of the user, and make 10 new recovery codes (returned once, to show)."""
    device = TOTPDevice(user=user, name=APP_DEVICE_NAME, key=secret, confirmed=True)
    cleaned = normalise_code(token)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not cleaned.isdigit() or not totp.verify(int(cleaned), device.tolerance):
        raise ServiceError(
            _("The code does not match. Check the phone's clock and type the code it shows now.")
        )
    device.last_t = totp.t()  # the code just used cannot log in again
    device.drift = totp.drift
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.save()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = _new_recovery_codes(recovery)
        audit.record(actor=user, code="twofactor.enabled", target=user)
    return device, codes


def twofactor_recovery_regenerate(*, user: Any) -> list[str]:
    """Replace the user's recovery codes with 10 new ones; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ServiceError(_("Two-factor authentication is not set up."))
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = _new_recovery_codes(recovery)
        audit.record(actor=user, code="twofactor.recovery_codes_regenerated", target=user)
    return codes


def _remove_devices(user: Any) -> int:
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _by_model = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_static


def twofactor_disable(*, user: Any, required: bool) -> None:
    """Turn two-factor off for a user for whom it is optional (the view has checked a code)."""
    if required:
        raise ServiceError(
            _("Two-factor authentication is required for this account and cannot be turned off.")
        )
    with transaction.atomic():
        _remove_devices(user)
        audit.record(actor=user, code="twofactor.disabled", target=user)


def twofactor_reset(*, user: Any, by: Any) -> None:
    """An administrator removes a user's authenticator app and recovery codes (a lost phone).
    The user sets up a new app at the next login; if two-factor is required of them and their
    grace period is over, they are sent to the set-up page at once."""
    if not getattr(by, "is_superuser", False):
        raise ServiceError(_("Only an administrator may reset two-factor authentication."))
    with transaction.atomic():
        removed = _remove_devices(user)
        audit.record(
            actor=by, code="twofactor.reset", target=user, changes={"devices_removed": removed}
        )


@dataclass(frozen=True)
class Verification:
    """The answer to a code: the device that accepted it, or why not (`locked_until` set when
    too many wrong codes make the device wait)."""

    device: Any = None
    locked_until: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def _verify(device: Any, token: str) -> Verification:
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            return Verification(locked_until=(info or {}).get("locked_until"))
        if locked.verify_token(token):
            return Verification(device=locked)
    return Verification()


def twofactor_verify(*, user: Any, token: str) -> Verification:
    """Check a code from the user's authenticator app (throttled by django-otp)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return Verification()
    return _verify(device, normalise_code(token))


def twofactor_verify_recovery(*, user: Any, code: str) -> Verification:
    """Check one of the user's recovery codes; a code that works is used up (audited)."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return Verification()
    result = _verify(device, normalise_code(code))
    if result.ok:
        audit.record(
            actor=user,
            code="twofactor.recovery_code_used",
            target=user,
            changes={"codes_left": device.token_set.count()},
        )
    return result
