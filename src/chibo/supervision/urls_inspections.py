"""Routes of supervision's inspections (included by supervision.urls under its namespace)."""

from django.urls import path

from chibo.supervision import views_inspections as views

urlpatterns: list = [
    path("committees/<int:pk>/", views.inspection_plans, name="inspection_plans"),
    path("committees/<int:pk>/plans/new/", views.inspection_plan_new, name="inspection_plan_new"),
    path("plans/<int:pk>/add/", views.inspection_new, name="inspection_new"),
    path("<int:pk>/", views.inspection_detail, name="inspection"),
    path("<int:pk>/start/", views.inspection_start, name="inspection_start"),
    path("<int:pk>/record/", views.inspection_record, name="inspection_record"),
    path("<int:pk>/conclude/", views.inspection_conclude, name="inspection_conclude"),
    path("<int:pk>/meetings/", views.inspection_meetings, name="inspection_meetings"),
    path(
        "<int:pk>/recommendations/new/",
        views.recommendation_add,
        name="inspection_recommendation_new",
    ),
    path("recommendations/", views.recommendations, name="recommendations"),
    path(
        "recommendations/<int:pk>/report/",
        views.recommendation_report,
        name="recommendation_report",
    ),
    path(
        "recommendations/<int:pk>/close/", views.recommendation_close, name="recommendation_close"
    ),
    path(
        "recommendations/<int:pk>/send-back/",
        views.recommendation_send_back,
        name="recommendation_send_back",
    ),
]
