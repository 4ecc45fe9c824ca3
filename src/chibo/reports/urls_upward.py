"""URLs of the reports upward (issue 12)."""

from django.urls import path

from chibo.reports import views_upward

urlpatterns = [
    path("upward/<int:org_pk>/", views_upward.upward, name="upward"),
    path("upward/<int:org_pk>/request/", views_upward.upward_request, name="upward_request"),
    path("upward/job/<int:pk>/", views_upward.upward_job, name="upward_job"),
    path("upward/job/<int:pk>/status/", views_upward.upward_job_status, name="upward_job_status"),
    path(
        "upward/job/<int:pk>/<str:fmt>/",
        views_upward.upward_file,
        name="upward_file",
    ),
]
