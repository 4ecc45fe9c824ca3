"""URLs of the dashboard part (issue 12)."""

from django.urls import path

from chibo.reports import views_dashboard as views

urlpatterns = [
    path("dashboard/", views.dashboard_home, name="dashboard_home"),
    path("dashboard/<int:org_pk>/", views.dashboard, name="dashboard"),
    path("dashboard/<int:org_pk>/dashboard.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<int:org_pk>/flags/<slug:code>/", views.dashboard_flag, name="dashboard_flag"),
]
