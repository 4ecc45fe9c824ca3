from django.urls import path

from chibo.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("cell/<int:cell_pk>/", views.candidates, name="candidates"),
    path("cell/<int:cell_pk>/new/", views.candidate_new, name="candidate_new"),
    path("candidate/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidate/<int:pk>/step/<str:step>/", views.candidate_step, name="candidate_step"),
    path("probation/<int:org_pk>/", views.probation, name="probation"),
    path(
        "probation/member/<int:pk>/recognise/",
        views.probation_recognise,
        name="probation_recognise",
    ),
    path("probation/member/<int:pk>/remove/", views.probation_remove, name="probation_remove"),
]
