"""Issuing, targeting, forwarding, reading and dissemination of directives (issue 10:
"a committee at any level issues a directive … to its whole subtree, to chosen units, or to
cells of chosen types; a subordinate committee can forward it down with its own guidance;
coverage rolls up through it")."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.core.errors import ServiceError
from chibo.core.models import AuditEntry
from chibo.directives import selectors, services
from chibo.directives.models import Directive, DirectiveDelivery, DirectiveRead
from chibo.notify.models import Notification
from tests.conftest import make_org
from tests.directives.conftest import issue

pytestmark = pytest.mark.django_db


def cells_of(directive):
    return set(directive.deliveries.values_list("cell__name", flat=True))


def test_the_ward_issues_to_its_whole_subtree_and_the_cells_are_told(world, ward_keeper):
    pdf = SimpleUploadedFile("ct.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    directive = issue(ward_keeper, world.ward, attachments=[pdf])
    assert cells_of(directive) == {"Chi bộ Khối 1", "Chi bộ Khối 2"}
    assert directive.attachments.count() == 1
    notice = Notification.objects.get(recipient=world.an_user, code="directive.received")
    assert "12-CT/ĐU" in notice.title and notice.url.endswith(f"/directives/{directive.pk}/")
    assert (
        AuditEntry.objects.filter(code="directive.issued", target_id=str(directive.pk)).count() == 1
    )


def test_targets_chosen_units_or_cell_types(world, ward_keeper):
    school = make_org(
        world.ward, "Chi bộ Trường THCS", "cell", "38.168.000.000.009", cell_type="school"
    )
    to_units = issue(ward_keeper, world.ward, target_mode="units", units=[world.khoi2])
    assert cells_of(to_units) == {"Chi bộ Khối 2"}
    to_types = issue(
        ward_keeper,
        world.ward,
        number_symbol="13-CT/ĐU",
        target_mode="cell_types",
        cell_types=["school"],
    )
    assert set(to_types.deliveries.values_list("cell", flat=True)) == {school.pk}
    assert to_types.target_cell_types == ["school"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"target_mode": "cell_types", "cell_types": ["school"]}, "Không có chi bộ nào nhận"),
        ({"target_mode": "units", "units": []}, "Hãy chọn các tổ chức"),
        ({"disseminate_by": datetime.date(2026, 1, 1)}, "Hạn phổ biến đã qua"),
        (
            {"issued_on": timezone.localdate() + datetime.timedelta(days=1)},
            "không được sau ngày hôm nay",
        ),
        ({"disseminate_by": None}, "nhập hạn phổ biến"),
        ({"number_symbol": " "}, "số, ký hiệu"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, ward_keeper, overrides, message):
    before = (
        Directive.objects.count(),
        DirectiveDelivery.objects.count(),
        Notification.objects.count(),
    )
    with pytest.raises(ServiceError) as refused:
        issue(ward_keeper, world.ward, **overrides)
    assert message.lower() in str(refused.value).lower()
    after = (
        Directive.objects.count(),
        DirectiveDelivery.objects.count(),
        Notification.objects.count(),
    )
    assert after == before


def test_a_number_is_unique_per_issuer_and_year(world, ward_keeper, other_ward_keeper):
    issue(ward_keeper, world.ward)
    with pytest.raises(ServiceError, match="đã ban hành văn bản số 12-CT/ĐU trong năm 2026"):
        issue(ward_keeper, world.ward, subject="Khác")
    # Another committee may use the same number; so may the same one another year.
    issue(other_ward_keeper, world.other_ward)
    issue(ward_keeper, world.ward, issued_on=datetime.date(2025, 10, 1))
    assert Directive.objects.count() == 3


def test_only_the_keepers_of_the_issuer_issue_for_it(world, ward_keeper, other_ward_keeper):
    # Bình is a plain member; the other commune's secretary does not keep the ward; the
    # upper-level member following a cell (Cúc) is no keeper either.
    for outsider in (world.binh_user, other_ward_keeper, world.cuc_user):
        with pytest.raises(ServiceError, match="Chỉ bí thư, phó bí thư và cán bộ tổ chức"):
            issue(outsider, world.ward)
    with pytest.raises(ServiceError, match="không trực thuộc"):
        issue(ward_keeper, world.ward, target_mode="units", units=[world.other_cell])
    assert not Directive.objects.exists()


def test_forwarding_adds_guidance_and_coverage_rolls_up(world, ward_keeper, province_keeper):
    school = make_org(
        world.ward, "Chi bộ Trường THCS", "cell", "38.168.000.000.009", cell_type="school"
    )
    directive = issue(
        province_keeper,
        world.province,
        number_symbol="45-KH/TU",
        target_mode="cell_types",
        cell_types=["residential_group"],
    )
    assert cells_of(directive) == {"Chi bộ Khối 1", "Chi bộ Khối 2"}
    with pytest.raises(ServiceError, match="hướng dẫn thực hiện"):
        services.directive_forward(
            actor=ward_keeper, directive=directive, forwarder=world.ward, guidance=" "
        )
    forward = services.directive_forward(
        actor=ward_keeper,
        directive=directive,
        forwarder=world.ward,
        guidance="Các chi bộ tổ chức học tập trước ngày 20.",
    )
    # The school cell receives it now; the cells that had it get the guidance.
    rows = {row.cell_id: row for row in directive.deliveries.all()}
    assert set(rows) == {world.khoi1.pk, world.khoi2.pk, school.pk}
    assert {row.via_id for row in rows.values()} == {forward.pk}
    assert not forward.deliveries.exists()  # deliveries stay those of the original
    with pytest.raises(ServiceError, match="đã chuyển tiếp"):
        services.directive_forward(
            actor=ward_keeper, directive=directive, forwarder=world.ward, guidance="Lần hai"
        )
    total = selectors.coverage(directive, world.province).total
    assert (total.cells, total.disseminated) == (3, 0)


def test_a_committee_the_directive_did_not_reach_cannot_forward_it(
    world, province_keeper, other_ward_keeper
):
    directive = issue(province_keeper, world.province, target_mode="units", units=[world.ward])
    with pytest.raises(ServiceError, match="không thể chuyển tiếp"):
        services.directive_forward(
            actor=other_ward_keeper,
            directive=directive,
            forwarder=world.other_ward,
            guidance="Hướng dẫn",
        )
    assert directive.deliveries.count() == 2


def test_members_mark_it_read_once_and_the_share_is_in_coverage(world, ward_keeper):
    directive = issue(ward_keeper, world.ward)
    services.directive_mark_read(actor=world.binh_user, directive=directive)
    services.directive_mark_read(actor=world.binh_user, directive=directive)
    services.directive_mark_read(actor=world.an_user, directive=directive)
    assert DirectiveRead.objects.filter(directive=directive).count() == 2
    coverage = selectors.coverage(directive, world.ward)
    # Khối 1: An and Bình of 2 read; Khối 2: Cúc, Dũng and the ward secretary, none read.
    khoi1 = next(row for row in coverage.rows if row.unit == world.khoi1)
    assert (khoi1.counts.readers, khoi1.counts.members) == (2, 2)
    assert (coverage.total.readers, coverage.total.members) == (2, 5)
    assert coverage.total.read_share == 40


def test_a_member_of_a_cell_that_did_not_receive_it_cannot_mark_it_read(world, ward_keeper):
    directive = issue(ward_keeper, world.ward, target_mode="units", units=[world.khoi2])
    with pytest.raises(ServiceError):
        services.directive_mark_read(actor=world.binh_user, directive=directive)
    assert not DirectiveRead.objects.exists()


def test_coverage_drills_down_by_level(world, ward_keeper, province_keeper):
    directive = issue(province_keeper, world.province, number_symbol="45-KH/TU")
    top = selectors.coverage(directive, world.province)
    assert [row.unit for row in top.rows] == [world.ward, world.other_ward]
    assert [row.counts.cells for row in top.rows] == [2, 1]
    assert all(row.delivery is None for row in top.rows)
    ward = selectors.coverage(directive, world.ward)
    assert [row.unit for row in ward.rows] == [world.khoi1, world.khoi2]
    assert all(row.delivery is not None for row in ward.rows)


def test_overdue_cells_are_counted(world, ward_keeper):
    directive = issue(ward_keeper, world.ward)
    later = directive.disseminate_by + datetime.timedelta(days=1)
    assert selectors.coverage(directive, world.ward, today=later).total.overdue == 2
    assert selectors.coverage(directive, world.ward).total.overdue == 0
    row = selectors.for_cell(world.khoi1.pk)[0]
    assert row.status == "pending"
