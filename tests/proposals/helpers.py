"""Small builders for proposal tests (readable data, through the services)."""

from __future__ import annotations

import datetime
from typing import Any

from chibo.proposals import services
from chibo.proposals.models import Proposal, ProposalSource, ProposalTopic

RAISED_ON = datetime.date(2026, 11, 2)


def raise_proposal(world, **overrides: Any) -> Proposal:
    values: dict[str, Any] = {
        "actor": world.an_user,
        "cell": world.khoi1,
        "raised_by": world.binh,
        "source": ProposalSource.CITIZENS,
        "citizen_name": "Các hộ dân tổ 3",
        "citizen_place": "Hẻm 12, khu phố 1",
        "topic": ProposalTopic.ENVIRONMENT,
        "title": "Bố trí thêm thùng rác đầu hẻm 12",
        "content": "Rác tồn đọng đầu hẻm 12 vào cuối tuần, đề nghị bố trí thêm hai thùng rác.",
        "raised_on": RAISED_ON,
    }
    values.update(overrides)
    return services.proposal_raise(**values)
