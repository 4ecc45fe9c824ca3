"""The user's channels per kind of message: three boxes per group."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.notify.models import KindGroup
from chibo.notify.selectors import Channels

CHANNELS = (
    ("email", _("E-mail")),
    ("sms", _("SMS")),
    ("digest", _("One daily digest e-mail instead of one e-mail each")),
)


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, Channels], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in KindGroup.values:
            for channel, label in CHANNELS:
                self.fields[f"{group}_{channel}"] = forms.BooleanField(
                    label=label, required=False, initial=getattr(current[group], channel)
                )

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """(group label, its three fields) in order, for the template."""
        return [
            (label, [self[f"{group}_{channel}"] for channel, _label in CHANNELS])
            for group, label in KindGroup.choices
        ]

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            group: {channel: self.cleaned_data[f"{group}_{channel}"] for channel, _l in CHANNELS}
            for group in KindGroup.values
        }
