"""Routes of supervision's model meetings (included by supervision.urls under its namespace)."""

from django.urls import path

from chibo.supervision import views_model_meetings as views

urlpatterns: list = [
    path("committees/<int:pk>/", views.model_meetings, name="model_meetings"),
    path("committees/<int:pk>/plan/", views.model_meeting_plan, name="model_meeting_plan"),
    path("invitations/", views.model_meeting_invitations, name="model_meeting_invitations"),
    path("examples/", views.model_meeting_examples, name="model_meeting_examples"),
    path("<int:pk>/", views.model_meeting, name="model_meeting"),
    path("<int:pk>/cancel/", views.model_meeting_cancel, name="model_meeting_cancel"),
    path("<int:pk>/minutes.pdf", views.model_meeting_minutes, name="model_meeting_minutes"),
]
