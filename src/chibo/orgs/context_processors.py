"""Template context shared by every page: the navigation the user's scope allows (the unread
badge beside it comes from notify.context_processors)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.orgs.access import may_manage_rules
from chibo.orgs.scope import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    path = request.path
    items = [{"url": reverse("home"), "label": _("Home")}]
    if scope.own_cell_id:
        items.append(
            {"url": reverse("members:cell_list", args=[scope.own_cell_id]), "label": _("My cell")}
        )
        items.append(
            {
                "url": reverse("meetings:cell_meetings", args=[scope.own_cell_id]),
                "label": _("Meetings"),
            }
        )
    if scope.has_any_oversight:
        items.append({"url": reverse("orgs:tree"), "label": _("Organizations")})
    if scope.member_id:
        items.append(
            {"url": reverse("members:detail", args=[scope.member_id]), "label": _("My record")}
        )
        items.append({"url": reverse("followup:mine"), "label": _("My assignments")})
    if scope.member_id or scope.is_admin:
        # Directives reach every cell and its members; proposals are raised by any member.
        items.append({"url": reverse("directives:list"), "label": _("Directives")})
        items.append({"url": reverse("proposals:list"), "label": _("Proposals")})
        # Visits, model meetings, briefings, inspection: each section shows what concerns them.
        items.append({"url": reverse("supervision:hub"), "label": _("Supervision")})
    if scope.member_id:
        items.append({"url": reverse("accounts:handbook"), "label": _("Handbook")})
    if may_manage_rules(user):
        items.append({"url": reverse("rules"), "label": _("Rules")})
    if scope.is_admin:
        items.append({"url": reverse("audit"), "label": _("Audit log")})
    for item in items:
        item["active"] = item["url"] != "/" and path.startswith(item["url"])
    return {
        "nav_items": items,
        "nav_user_label": user.get_full_name() or user.get_username(),
    }
