from django.urls import path

from chibo.core import views, views_rules

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("rules/", views_rules.rules_list, name="rules"),
    path("rules/overrides/new/", views_rules.rule_override_new, name="rule_override_new"),
    path(
        "rules/overrides/<int:pk>/expire/",
        views_rules.rule_override_expire,
        name="rule_override_expire",
    ),
]
