from django.contrib import admin
from django.urls import include, path

from chibo.accounts import views_home
from chibo.orgs import views_audit, views_rules

urlpatterns = [
    path("", views_home.home, name="home"),
    # Administrators' pages: the audit log and the rules in force (with their overrides).
    path("audit/", views_audit.audit_log, name="audit"),
    path("rules/", views_rules.rules_list, name="rules"),
    path("rules/overrides/new/", views_rules.rule_override_new, name="rule_override_new"),
    path(
        "rules/overrides/<int:pk>/expire/",
        views_rules.rule_override_expire,
        name="rule_override_expire",
    ),
    path("accounts/", include("chibo.accounts.urls")),
    path("orgs/", include("chibo.orgs.urls")),
    path("members/", include("chibo.members.urls")),
    path("meetings/", include("chibo.meetings.urls")),
    path("followup/", include("chibo.followup.urls")),
    path("directives/", include("chibo.directives.urls")),
    path("proposals/", include("chibo.proposals.urls")),
    path("inbox/", include("chibo.notify.urls")),
    path("reports/", include("chibo.reports.urls")),
    path("lifecycle/", include("chibo.lifecycle.urls")),
    path("reviews/", include("chibo.reviews.urls")),
    path("residence/", include("chibo.residence.urls")),
    path("supervision/", include("chibo.supervision.urls")),
    path("exports/", include("chibo.core.urls_exports")),
    path("django-admin/", admin.site.urls),
]

# A database that does not answer gets a 503 "try again" page; other errors Django's 500 page.
handler500 = "chibo.core.views_errors.server_error"
