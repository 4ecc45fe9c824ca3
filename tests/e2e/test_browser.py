"""chibo in a real browser, on the demo data: logins, scope, Vietnamese order, search, htmx,
and screenshots of the main pages at phone and desktop widths.

The assertions avoid interface wording (the translations change); they rely on names from the
database, element ids and URLs."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from chibo.core.text import fold, name_sort_key
from chibo.members.models import ACTIVE_STATUSES, Member, MemberStatus
from chibo.orgs.models import Organization, Role

from .pages import log_in, log_out

pytestmark = pytest.mark.e2e

WARD = "Đảng ủy phường Hưng Phú"
KHOI1 = "Chi bộ Khối 1"
PHONE_WIDTH = 360

NAME_CELLS = "#member-table tbody tr td:nth-child(2)"


# -- database side -------------------------------------------------------------------------------


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def active_members(cell: Organization) -> list[Member]:
    """The cell's roll in the order the page must show: Vietnamese name order, then id."""
    members = Member.objects.filter(cell=cell, status__in=ACTIVE_STATUSES)
    return sorted(members, key=lambda member: (name_sort_key(member.full_name), member.pk))


def member_of(username: str) -> Member:
    return Member.objects.select_related("cell").get(user__username=username)


def given_name(full_name: str) -> str:
    return full_name.split()[-1]


# -- browser side --------------------------------------------------------------------------------


def shown_names(page) -> list[str]:
    return [name.strip() for name in page.locator(NAME_CELLS).all_inner_texts()]


def all_shown_names(page) -> list[str]:
    """Names on every page of the member list, following the pager's "next" link."""
    names = shown_names(page)
    while True:
        # The pager is Previous · "Page n of m" · Next; a link in the last item is Next.
        next_link = page.locator("#member-table .pagination li:last-child a.page-link")
        if next_link.count() == 0:
            return names
        with page.expect_navigation():
            next_link.click()
        names += shown_names(page)


def click_href(page, href: str) -> None:
    """Follow the first visible link to `href` in the page body, as a user would."""
    with page.expect_navigation():
        page.locator(f'main a[href="{href}"]').first.click()
    assert page.url.endswith(href), page.url


# -- tests ---------------------------------------------------------------------------------------


def test_ward_secretary_sees_cell_roll_in_vietnamese_order_and_outsider_gets_404(new_page):
    ward, khoi1 = org(WARD), org(KHOI1)
    roll = active_members(khoi1)
    expected = [member.full_name for member in roll]
    list_url = reverse("members:cell_list", args=[khoi1.pk])
    page = new_page()

    # The ward secretary walks there: home → the ward → Khối 1 → its members.
    log_in(page, "bithu.phuong")
    assert page.url.endswith(reverse("core:home"))
    click_href(page, reverse("orgs:detail", args=[ward.pk]))
    expect(page.locator("h1")).to_have_text(WARD)
    click_href(page, reverse("orgs:detail", args=[khoi1.pk]))
    expect(page.locator("h1")).to_have_text(KHOI1)
    click_href(page, list_url)
    expect(page.locator("h1")).to_have_text(KHOI1)
    expect(page.locator("#member-count")).to_contain_text(str(len(roll)))

    names = all_shown_names(page)
    assert names == expected
    # Hand-picked facts about the order, each checked where the demo data allows it.
    facts_checked = 0
    if sorted(expected) != expected:
        # Not plain Unicode order of full names (that would sort by family name).
        assert names != sorted(names)
        facts_checked += 1
    given = [given_name(name) for name in names]
    plain_d = [i for i, word in enumerate(given) if word.startswith("D")]
    crossed_d = [i for i, word in enumerate(given) if word.startswith("Đ")]
    if plain_d and crossed_d:
        # đ is a letter of its own after d: every Dung comes before every Đạt, although
        # folding away the diacritics ("dat" < "dung") would put them the other way round.
        assert max(plain_d) < min(crossed_d), given
        facts_checked += 1
    # Given name first: the first row has the alphabetically first given name of the cell.
    assert name_sort_key(given[0]) == min(name_sort_key(word) for word in given)
    assert facts_checked >= 1, "the demo data no longer shows a Vietnamese-order fact"

    # Searching without diacritics finds the Nguyễns, and nobody else.
    page.goto(list_url)
    page.fill("#id_q", "nguyen")
    page.press("#id_q", "Enter")
    nguyens = [name for name in expected if "nguyen" in fold(name)]
    assert nguyens, "the demo cell has no Nguyễn"
    expect(page.locator(NAME_CELLS)).to_have_count(len(nguyens))
    expect(page.locator("#member-count")).to_contain_text(str(len(nguyens)))
    found = shown_names(page)
    assert all("nguyen" in fold(name) for name in found), found
    assert found == nguyens

    # A member of another cell does not learn that this list exists.
    log_out(page)
    log_in(page, "dangvien.khoi2")
    response = page.goto(list_url)
    assert response is not None and response.status == 404
    assert KHOI1 not in page.content()
    assert not any(name in page.content() for name in expected)


def test_member_sees_own_cell_list_but_only_own_record(new_page):
    me = member_of("dangvien.khoi1")
    cell = me.cell
    roll = active_members(cell)
    fellow = next(member for member in roll if member.pk != me.pk)
    page = new_page()

    log_in(page, "dangvien.khoi1")
    # The navbar leads to the own cell's list.
    list_url = reverse("members:cell_list", args=[cell.pk])
    with page.expect_navigation():
        page.locator(f'nav a[href="{list_url}"]').first.click()
    expect(page.locator("h1")).to_have_text(cell.name)
    # A plain member gets the roll, not the register tools.
    expect(page.locator("#id_status")).to_have_count(0)
    expect(page.locator('a[href$="export.xlsx"]')).to_have_count(0)
    expect(page.locator(f'a[href="{reverse("members:import", args=[cell.pk])}"]')).to_have_count(0)

    # Every fellow member is listed; the only link in the list is the member's own name.
    own_url = reverse("members:detail", args=[me.pk])
    names, linked = [], []
    while True:
        names += shown_names(page)
        linked += [
            (link.inner_text().strip(), link.get_attribute("href"))
            for link in page.locator(f"{NAME_CELLS} a").all()
        ]
        next_link = page.locator("#member-table .pagination li:last-child a.page-link")
        if next_link.count() == 0:
            break
        with page.expect_navigation():
            next_link.click()
    assert names == [member.full_name for member in roll]
    assert linked == [(me.full_name, own_url)]

    # The own record opens from the list.
    with page.expect_navigation():
        page.locator(f'{NAME_CELLS} a[href="{own_url}"]').click()
    expect(page.locator("h1")).to_have_text(me.full_name)
    expect(page.locator(f'a[href="{reverse("members:edit", args=[me.pk])}"]')).to_have_count(0)

    # A fellow member's record, or its edit form, does not exist for them.
    for url in (
        reverse("members:detail", args=[fellow.pk]),
        reverse("members:edit", args=[fellow.pk]),
    ):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        assert fellow.full_name not in page.content()


def test_htmx_search_updates_the_table_without_reloading(new_page):
    cell = org(KHOI1)
    roll = active_members(cell)
    page = new_page()
    log_in(page, "bithu.khoi1")
    list_url = reverse("members:cell_list", args=[cell.pk])
    page.goto(list_url)
    expect(page.locator(NAME_CELLS)).to_have_count(min(len(roll), 50))
    # A full page load would drop this marker; an htmx swap keeps it.
    page.evaluate("window.__e2eMarker = 'still here'")
    table = page.locator("#member-table")
    table.evaluate("element => { element.dataset.e2eOriginal = '1'; }")

    target = roll[-1]
    query = fold(" ".join(target.full_name.split()[-2:]))  # e.g. "duy vinh"
    expected = [member.full_name for member in roll if query in fold(member.full_name)]
    with page.expect_request(
        lambda request: "/members/cell/" in request.url and "q=" in request.url
    ) as request_info:
        page.locator("#id_q").press_sequentially(query, delay=20)
    expect(page.locator(NAME_CELLS)).to_have_count(len(expected))
    expect(page.locator(NAME_CELLS).first).to_have_text(expected[0])
    assert shown_names(page) == expected
    assert request_info.value.headers.get("hx-request") == "true"
    assert page.evaluate("window.__e2eMarker") == "still here"
    # Only the table's contents were swapped; the container itself stayed.
    assert table.get_attribute("data-e2e-original") == "1"
    assert "q=" in page.url  # hx-push-url keeps the search in the address bar

    # The status filter also swaps the table in place.
    page.fill("#id_q", "")
    page.select_option("#id_status", MemberStatus.PROBATIONARY.value)
    probationary = [member.full_name for member in roll if member.status == "probationary"]
    if probationary:
        expect(page.locator(NAME_CELLS)).to_have_count(len(probationary))
        assert shown_names(page) == probationary
    else:
        expect(page.locator(NAME_CELLS)).to_have_count(0)
    assert page.evaluate("window.__e2eMarker") == "still here"

    # A query that matches nobody says so, still without reloading.
    page.select_option("#id_status", "")
    page.locator("#id_q").press_sequentially("zzzz", delay=20)
    expect(page.locator(NAME_CELLS)).to_have_count(0)
    expect(page.locator("#member-table tbody td[colspan]")).to_be_visible()
    assert page.evaluate("window.__e2eMarker") == "still here"


# -- screenshots ---------------------------------------------------------------------------------

# The elements that stick out past the right edge, outermost first: the cause of a
# horizontal scroll. Elements inside a scrolling box (.table-responsive) do not count.
OVERFLOW_JS = """
(limit) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const right = el.getBoundingClientRect().right;
    if (right <= limit) continue;
    let parent = el.parentElement, inScroller = false, parentOverflows = false;
    for (let p = parent; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) { inScroller = true; break; }
    }
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > limit) {
      parentOverflows = true;
    }
    if (inScroller || parentOverflows) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(`${name} ends at ${Math.round(right)}px: ${(el.innerText || '').trim().slice(0, 60)}`);
  }
  return out;
}
"""


def check_and_shoot(page, name: str, variant: str, shots, shots_taken, overflows) -> None:
    """A full-page screenshot; at phone width, note any horizontal scroll and its cause."""
    page.wait_for_load_state("load")
    path = shots / f"{name}-{variant}.png"
    page.screenshot(path=str(path), full_page=True)
    shots_taken.append(path.name)
    if variant == "phone":
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH + 1:
            causes = page.evaluate(OVERFLOW_JS, PHONE_WIDTH + 1)
            overflows.append(f"{name}: scrollWidth {width}px; " + " | ".join(causes[:5]))


def test_screenshots_of_main_pages(new_page, screenshot_dir):
    ward, khoi1 = org(WARD), org(KHOI1)
    secretary_user = get_user_model().objects.get(username="bithu.phuong")
    # The Khối 1 secretary's record has positions and a status history to show.
    record = member_of("bithu.khoi1")
    assert record.positions.filter(role=Role.SECRETARY).exists()
    first_name = active_members(khoi1)[0].full_name
    overflows: list[str] = []
    taken: list[str] = []

    for variant in ("phone", "desktop"):
        page = new_page(phone=variant == "phone")

        def visit(url, name, variant=variant, page=page):
            response = page.goto(url)
            assert response is not None and response.ok, f"{name}: {url} → {response}"
            expect(page.locator("h1")).to_be_visible()
            return page

        def shoot(name, variant=variant, page=page):
            check_and_shoot(page, name, variant, screenshot_dir, taken, overflows)

        visit(reverse("accounts:login"), "login")
        expect(page.locator("#id_username")).to_be_visible()
        expect(page.locator("#id_password")).to_be_visible()
        expect(page.locator("form button[type=submit]")).to_be_visible()
        # The stylesheet is served: the brand bar wears the party red.
        assert page.evaluate(
            "getComputedStyle(document.querySelector('nav.navbar')).backgroundColor"
        ) == ("rgb(179, 18, 15)")
        shoot("login")

        log_in(page, "bithu.phuong")
        expect(page.locator("h1")).to_contain_text(secretary_user.get_full_name())
        expect(
            page.locator(f'main a[href="{reverse("orgs:detail", args=[ward.pk])}"]')
        ).to_be_visible()
        shoot("home")

        visit(reverse("orgs:tree"), "tree")
        expect(page.locator(".tree")).to_contain_text(WARD)
        shoot("org-tree")

        visit(reverse("orgs:detail", args=[ward.pk]), "ward")
        expect(page.locator("h1")).to_have_text(WARD)
        expect(
            page.locator(f'main a[href="{reverse("orgs:detail", args=[khoi1.pk])}"]')
        ).to_be_visible()
        shoot("ward-detail")

        visit(reverse("members:cell_list", args=[khoi1.pk]), "cell list")
        expect(page.locator("h1")).to_have_text(KHOI1)
        expect(page.locator(NAME_CELLS).first).to_have_text(first_name)
        expect(page.locator("#id_q")).to_be_visible()
        shoot("cell-members")

        visit(reverse("members:detail", args=[record.pk]), "member")
        expect(page.locator("h1")).to_have_text(record.full_name)
        expect(
            page.locator(f'a[href="{reverse("members:edit", args=[record.pk])}"]')
        ).to_be_visible()
        shoot("member-detail")

        visit(reverse("members:edit", args=[record.pk]), "member edit")
        expect(page.locator("#id_full_name")).to_have_value(record.full_name)
        expect(page.locator("form.member-form button[type=submit]")).to_be_visible()
        shoot("member-edit")

        visit(reverse("members:import", args=[khoi1.pk]), "import")
        expect(page.locator("#import-panel input[type=file]")).to_be_visible()
        expect(page.locator('a[href="' + reverse("members:import_template") + '"]')).to_be_visible()
        shoot("member-import")

        log_out(page)
        log_in(page, "admin")
        visit(reverse("core:rules"), "rules")
        expect(page.locator("#rules-table tbody tr").first).to_be_visible()
        expect(page.locator("#rules-table tbody tr[id^=rule-]").first).to_be_visible()
        shoot("rules")

        visit(reverse("core:audit") + "?code=demo.seeded", "audit")
        expect(page.locator("main table code", has_text="demo.seeded")).to_be_visible()
        shoot("audit-log")

    assert len(taken) == 20 and all((screenshot_dir / name).stat().st_size for name in taken)
    assert not overflows, "horizontal scroll at 360 px:\n" + "\n".join(overflows)
