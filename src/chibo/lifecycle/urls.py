from django.urls import path

from chibo.lifecycle import views, views_status, views_transfers

app_name = "lifecycle"
urlpatterns = [
    path("cell/<int:cell_pk>/", views.candidates, name="candidates"),
    path("cell/<int:cell_pk>/new/", views.candidate_new, name="candidate_new"),
    path("candidate/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidate/<int:pk>/step/<str:step>/", views.candidate_step, name="candidate_step"),
    path("candidate/<int:pk>/review/", views.candidate_review, name="candidate_review"),
    path("candidate/<int:pk>/withdraw/", views.candidate_withdraw, name="candidate_withdraw"),
    path("probation/<int:org_pk>/", views.probation, name="probation"),
    path(
        "probation/member/<int:pk>/recognise/",
        views.probation_recognise,
        name="probation_recognise",
    ),
    path("probation/member/<int:pk>/remove/", views.probation_remove, name="probation_remove"),
    path("transfers/<int:org_pk>/", views_transfers.transfer_list, name="transfers"),
    path(
        "transfers/member/<int:member_pk>/new/", views_transfers.transfer_new, name="transfer_new"
    ),
    path("transfers/cells/", views_transfers.cell_search, name="transfer_cell_search"),
    path("transfer/<int:pk>/", views_transfers.transfer_detail, name="transfer"),
    path("transfer/<int:pk>/slip.pdf", views_transfers.transfer_slip, name="transfer_slip"),
    path("transfer/<int:pk>/confirm/", views_transfers.transfer_confirm, name="transfer_confirm"),
    path("transfer/<int:pk>/refuse/", views_transfers.transfer_refuse, name="transfer_refuse"),
    path(
        "transfer/<int:pk>/withdraw/", views_transfers.transfer_withdraw, name="transfer_withdraw"
    ),
    path("transfer/<int:pk>/end/", views_transfers.transfer_end, name="transfer_end"),
    path("member/<int:pk>/status/<str:action>/", views_status.status_change, name="status_change"),
    path("removal-alerts/<int:org_pk>/", views_status.removal_alerts, name="removal_alerts"),
]
