"""Routes of supervision's briefings (included by supervision.urls under its namespace)."""

from django.urls import path

from chibo.supervision import views_briefings as views

urlpatterns: list = [
    path("committees/<int:pk>/", views.briefings, name="briefings"),
    path("committees/<int:pk>/plan/", views.briefing_plan, name="briefing_plan"),
    path("mine/", views.my_briefings, name="my_briefings"),
    path("<int:pk>/", views.briefing, name="briefing"),
    path("<int:pk>/cells/<int:row>/attendance/", views.briefing_mark, name="briefing_mark"),
    path("<int:pk>/cells/<int:row>/report/", views.briefing_report, name="briefing_report"),
    path("<int:pk>/conclude/", views.briefing_conclude, name="briefing_conclude"),
]
