"""django-axes with separate limits per username and per client address.

Axes counts failures for each lockout parameter (AXES_LOCKOUT_PARAMETERS = ["username",
"ip_address"]) but compares every count with one AXES_FAILURE_LIMIT. chibo needs two limits:
a low one per username (CHIBO_LOGIN_FAILURE_LIMIT, a guesser after one account) and a higher
one per address (CHIBO_LOGIN_FAILURE_LIMIT_PER_IP: a ward office's phones may share one
address through its router). The handler below reports each parameter's count on the
username limit's scale, so that axes' single comparison `failures >= AXES_FAILURE_LIMIT`
locks exactly when one of the parameters reaches its own limit."""

from __future__ import annotations

import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum


def limit_for(parameter: Any, username_limit: int) -> int:
    """The failure limit of one lockout parameter."""
    if parameter == "ip_address":
        return int(settings.CHIBO_LOGIN_FAILURE_LIMIT_PER_IP)
    return username_limit


class SeparateLimitsHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per lockout parameter."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username_limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        scaled = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            # count * U // L reaches U exactly when count reaches L.
            scaled = max(scaled, count * username_limit // limit_for(parameter, username_limit))
        return scaled


def retry_at(request, credentials: dict | None = None) -> datetime.datetime | None:
    """When the locked login may be tried again: the cool-down after the last counted failure
    of its username or its address (whichever locked it; the later one to be safe)."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None)
    condition = Q(ip_address=address) if address else Q(pk__in=[])
    if username:
        condition |= Q(username=username)
    last = AccessAttempt.objects.filter(condition).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return None
    return last + settings.AXES_COOLOFF_TIME
