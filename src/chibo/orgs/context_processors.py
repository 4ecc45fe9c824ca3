"""Template context shared by every page: the navigation the user's scope allows (the unread
badge beside it comes from notify.context_processors)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.orgs.access import may_manage_rules
from chibo.orgs.scope import scope_for

# Links gathered under one menu on a wide screen, so that the bar holds on one line (on a phone
# the menu opens in place): the level above's work, and the person's own records.
NAV_GROUPS = (
    (
        "direction",
        gettext_lazy("Direction and supervision"),
        ("reports:dashboard_home", "directives:list", "proposals:list", "supervision:hub"),
    ),
    ("mine", gettext_lazy("Mine"), ("members:detail", "followup:mine", "accounts:handbook")),
)


def _grouped(items: list[dict]) -> list[dict]:
    """The navigation as shown: plain links, and the groups of NAV_GROUPS where the user has
    more than one of their links (in the place of the first)."""
    names = {item["name"]: item for item in items}
    placed: dict[str, dict[str, Any]] = {}
    for key, label, members in NAV_GROUPS:
        children = [names[name] for name in members if name in names]
        if len(children) > 1:
            group = {
                "label": label,
                "children": children,
                "active": any(child["active"] for child in children),
                "name": key,
                "id": f"nav-{key}",
            }
            for child in children:
                placed[child["name"]] = group
    menu: list[dict[str, Any]] = []
    for item in items:
        holder = placed.get(item["name"])
        if holder is None:
            menu.append(item)
        elif holder not in menu:
            menu.append(holder)
    return menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    path = request.path
    items: list[dict] = []

    def link(name: str, label: str, *args: int) -> None:
        items.append({"name": name, "url": reverse(name, args=args), "label": label})

    link("home", _("Home"))
    if scope.own_cell_id:
        link("members:cell_list", _("My cell"), scope.own_cell_id)
        link("meetings:cell_meetings", _("Meetings"), scope.own_cell_id)
    if scope.has_any_oversight:
        link("orgs:tree", _("Organizations"))
        # The committee's dashboard of the cells it oversees (issue 12).
        link("reports:dashboard_home", _("Dashboard"))
    if scope.member_id:
        link("members:detail", _("My record"), scope.member_id)
        link("followup:mine", _("My assignments"))
    if scope.member_id or scope.is_admin:
        # Directives reach every cell and its members; proposals are raised by any member.
        link("directives:list", _("Directives"))
        link("proposals:list", _("Proposals"))
        # Visits, model meetings, briefings, inspection: each section shows what concerns them.
        link("supervision:hub", _("Supervision"))
    if scope.member_id:
        link("accounts:handbook", _("Handbook"))
    if may_manage_rules(user):
        link("rules", _("Rules"))
    if scope.is_admin:
        link("audit", _("Audit log"))
    for item in items:
        item["active"] = item["url"] != "/" and path.startswith(item["url"])
    return {
        "nav_items": items,
        "nav_menu": _grouped(items),
        "nav_user_label": user.get_full_name() or user.get_username(),
    }
