"""`{% twofactor_state account as state %}`: an account's two-factor status and unused
recovery codes, for the administrator's panel (accounts/twofactor/_admin_panel.html), which
other pages include with only `account` in their context."""

from typing import Any

from django import template
from django_otp.plugins.otp_static.models import StaticToken

from chibo.accounts import twofactor

register = template.Library()


@register.simple_tag
def twofactor_state(account: Any) -> dict[str, Any]:
    return {
        "status": twofactor.status_for(account),
        "codes_left": StaticToken.objects.filter(
            device__user=account, device__confirmed=True
        ).count(),
    }
