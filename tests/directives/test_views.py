"""The directives pages and who reaches them: outside the path 404, readable but not theirs
403; a cell sees its own status and never another cell's; bad forms answer 400 with the
refusal and change nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chibo.directives.models import Directive, DirectiveRead
from tests.conftest import make_member, make_org
from tests.directives.conftest import deadline, issue

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def directive(world, ward_keeper):
    pdf = SimpleUploadedFile("ct.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    return issue(ward_keeper, world.ward, attachments=[pdf])


def test_the_ward_issues_through_the_form(client, world, ward_keeper):
    login(client, ward_keeper)
    assert client.get(reverse("directives:new")).status_code == 200
    data = {
        "issuer": world.ward.pk,
        "number_symbol": "20-CT/ĐU",
        "issued_on": timezone.localdate().isoformat(),
        "subject": "Tăng cường công tác phòng chống cháy nổ",
        "body": "",
        "must_disseminate": "on",
        "disseminate_by": deadline(30).isoformat(),
        "target_mode": "units",
        "units": [world.khoi1.pk],
        "attachments": SimpleUploadedFile("ct.pdf", b"%PDF-1.4 x"),
    }
    answer = client.post(reverse("directives:new"), data)
    directive = Directive.objects.get(number_symbol="20-CT/ĐU")
    assert answer.status_code == 302 and answer.url == reverse(
        "directives:detail", args=[directive.pk]
    )
    assert list(directive.deliveries.values_list("cell", flat=True)) == [world.khoi1.pk]
    assert directive.attachments.get().content_type == "application/pdf"


def test_a_bad_form_answers_400_with_the_refusal(client, world, ward_keeper):
    login(client, ward_keeper)
    data = {
        "issuer": world.ward.pk,
        "number_symbol": "21-CT/ĐU",
        "issued_on": timezone.localdate().isoformat(),
        "subject": "Không ai nhận",
        "must_disseminate": "on",
        "disseminate_by": deadline(30).isoformat(),
        "target_mode": "cell_types",
        "cell_types": ["school"],
    }
    answer = client.post(reverse("directives:new"), data)
    assert answer.status_code == 400
    assert "Không có chi bộ nào nhận văn bản này" in answer.content.decode()
    data.update(
        target_mode="subtree",
        disseminate_by=(timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    )
    answer = client.post(reverse("directives:new"), data)
    assert answer.status_code == 400 and "Hạn phổ biến đã qua" in answer.content.decode()
    bad_file = {
        **data,
        "disseminate_by": deadline(30).isoformat(),
        "attachments": SimpleUploadedFile("x.exe", b"MZ"),
    }
    assert client.post(reverse("directives:new"), bad_file).status_code == 400
    assert not Directive.objects.exists()


def test_who_may_issue(client, world, ward_keeper):
    # A plain member, and the upper-level member following a cell, have no issue page.
    for user in (world.binh_user, world.cuc_user, world.an_user):
        assert login(client, user).get(reverse("directives:new")).status_code == 404
    # The form offers only the committees the user keeps; another one is refused.
    login(client, ward_keeper)
    answer = client.post(
        reverse("directives:new"),
        {
            "issuer": world.other_ward.pk,
            "number_symbol": "1",
            "issued_on": "2026-10-01",
            "subject": "x",
            "target_mode": "subtree",
        },
    )
    assert answer.status_code == 400 and not Directive.objects.exists()


def test_the_issuer_sees_coverage_drilled_down(client, world, ward_keeper, directive):
    login(client, ward_keeper)
    page = client.get(reverse("directives:detail", args=[directive.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chi bộ Khối 1" in text and "Chi bộ Khối 2" in text and 'id="coverage"' in text
    assert page.context["coverage"].total.cells == 2
    # Outside the issuer's subtree: 404 for the drill-down.
    answer = client.get(
        reverse("directives:detail", args=[directive.pk]), {"unit": world.other_cell.pk}
    )
    assert answer.status_code == 404
    answer = client.get(reverse("directives:detail", args=[directive.pk]), {"unit": world.khoi1.pk})
    assert answer.status_code == 200 and answer.context["coverage"].total.cells == 1


def test_a_cell_sees_its_own_status_and_not_the_other_cells(client, world, directive):
    page = login(client, world.binh_user).get(reverse("directives:detail", args=[directive.pk]))
    assert page.status_code == 200
    assert "coverage" not in page.context
    text = page.content.decode()
    assert "Chi bộ Khối 2" not in text and 'id="own-delivery"' in text
    # The secretary of Khối 1 reads Khối 1 only, even through the drill-down.
    page = login(client, world.an_user).get(
        reverse("directives:detail", args=[directive.pk]), {"unit": world.khoi2.pk}
    )
    assert page.status_code == 404
    page = login(client, world.an_user).get(reverse("directives:detail", args=[directive.pk]))
    assert [row.unit for row in page.context["coverage"].rows] == []
    assert page.context["coverage"].total.cells == 1


def test_another_ward_and_a_cell_that_did_not_receive_it_get_404(
    client, world, other_ward_keeper, directive, django_user_model
):
    from tests.conftest import make_user

    member = make_member(world.other_cell, "Lò Văn Pá", party_card_number="10000020")
    plain = make_user(django_user_model, "pa", member)
    for user in (other_ward_keeper, plain):
        login(client, user)
        for url in (
            reverse("directives:detail", args=[directive.pk]),
            reverse("directives:attachment", args=[directive.pk, directive.attachments.get().pk]),
            reverse("directives:forward", args=[directive.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("directives:mark_read", args=[directive.pk])).status_code == 404
    assert not DirectiveRead.objects.exists()


def test_a_member_reads_the_attachment_and_marks_it_read_from_the_handbook(
    client, world, directive
):
    login(client, world.binh_user)
    book = client.get(reverse("accounts:handbook"))
    assert (
        "12-CT/ĐU" in book.content.decode() and 'id="handbook-directives"' in book.content.decode()
    )
    attachment = directive.attachments.get()
    assert (
        client.get(reverse("directives:attachment", args=[directive.pk, attachment.pk])).status_code
        == 200
    )
    answer = client.post(
        reverse("directives:mark_read", args=[directive.pk]),
        {"next": "/accounts/handbook/#directives"},
    )
    assert answer.status_code == 302
    assert DirectiveRead.objects.filter(member=world.binh).count() == 1
    # An administrator reads every directive but belongs to no receiving cell: 403.
    admin = login(client, world.admin_user)
    assert admin.post(reverse("directives:mark_read", args=[directive.pk])).status_code == 403


def test_a_plain_member_cannot_forward(client, world, province_keeper, ward_keeper):
    directive = issue(province_keeper, world.province, number_symbol="45-KH/TU")
    # The ward secretary reads it (it reached the ward's cells) and may forward it.
    login(client, ward_keeper)
    assert client.get(reverse("directives:forward", args=[directive.pk])).status_code == 200
    answer = client.post(
        reverse("directives:forward", args=[directive.pk]),
        {"forwarder": world.ward.pk, "guidance": "Học tập trước 20/12.", "target_mode": "subtree"},
    )
    assert answer.status_code == 302
    assert directive.forwards.get().guidance == "Học tập trước 20/12."
    # Forwarded once: the page no longer offers it (403), nothing more is created.
    assert client.get(reverse("directives:forward", args=[directive.pk])).status_code == 403
    # The ward sees the coverage of its own subtree only, not the other commune's.
    page = client.get(reverse("directives:detail", args=[directive.pk]))
    assert page.context["coverage"].unit == world.ward
    # A plain member of a receiving cell reads it, the guidance included, but cannot forward.
    login(client, world.binh_user)
    page = client.get(reverse("directives:detail", args=[directive.pk]))
    assert "Học tập trước 20/12." in page.content.decode()
    assert client.get(reverse("directives:forward", args=[directive.pk])).status_code == 403
    assert directive.forwards.count() == 1


def test_the_lists(client, world, ward_keeper, directive, django_assert_max_num_queries):
    for number in range(5):
        issue(ward_keeper, world.ward, number_symbol=f"{number}-TB/ĐU")
    login(client, ward_keeper)
    page = client.get(reverse("directives:list"))
    assert page.status_code == 200 and len(page.context["committee_rows"]) == 6
    with django_assert_max_num_queries(15):
        client.get(reverse("directives:list"))
    page = login(client, world.binh_user).get(reverse("directives:list"))
    assert len(page.context["cell_rows"]) == 6 and page.context["committee_rows"] == []


def test_coverage_queries_do_not_grow_with_cells(world, ward_keeper, django_assert_num_queries):
    from chibo.directives import selectors

    small = issue(ward_keeper, world.ward, number_symbol="1-CT")
    for number in range(30):
        make_org(world.ward, f"Chi bộ Tổ {number}", "cell", f"38.168.000.001.{number:03d}")
    large = issue(ward_keeper, world.ward, number_symbol="2-CT")
    assert large.deliveries.count() == 32 and small.deliveries.count() == 2
    with django_assert_num_queries(4):
        selectors.coverage(small, world.ward)
    with django_assert_num_queries(4):
        selectors.coverage(large, world.ward)
    with django_assert_num_queries(4):
        selectors.coverage(large, world.province)
