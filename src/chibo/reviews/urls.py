from django.urls import path

from chibo.reviews import views

app_name = "reviews"
urlpatterns = [
    path("cell/<int:cell_pk>/", views.cell, name="cell"),
    path("member/<int:member_pk>/", views.member, name="member"),
    path("member/<int:member_pk>/self/", views.member_self, name="member_self"),
    path("member/<int:member_pk>/propose/", views.member_propose, name="member_propose"),
    path("member/<int:member_pk>/discipline/", views.discipline_new, name="discipline_new"),
    path("discipline/<int:pk>/appeal/", views.discipline_appeal, name="discipline_appeal"),
    path("committee/<int:org_pk>/", views.committee, name="committee"),
    path("committee/<int:org_pk>/decide-all/", views.committee_decide_all, name="decide_all"),
    path("decide/<int:review_pk>/", views.decide, name="decide"),
    path("organizations/<int:org_pk>/", views.organizations, name="organizations"),
    path("organization/<int:org_pk>/", views.organization, name="organization"),
    path(
        "organization/<int:org_pk>/<str:step>/",
        views.organization_step,
        name="organization_step",
    ),
    path("statistics/<int:org_pk>/", views.statistics, name="statistics"),
]
