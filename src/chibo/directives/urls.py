"""URLs of the directives app."""

from django.urls import path

from chibo.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", views.directive_new, name="new"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/forward/", views.directive_forward, name="forward"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
