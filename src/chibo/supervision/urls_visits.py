"""Routes of supervision's visits (included by supervision.urls under its namespace)."""

from django.urls import path

from chibo.supervision import views_visits as views

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new-address/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("meetings/<int:meeting_pk>/visit/", views.visit_record, name="visit_record"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("committees/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("committees/<int:pk>/assignments/", views.assignments, name="assignments"),
    path(
        "committees/<int:pk>/assignments/<int:position_pk>/end/",
        views.assignment_end,
        name="assignment_end",
    ),
]
