from django.urls import path

from chibo.meetings import views, views_prepare

urlpatterns = [
    path("policy/<int:org_pk>/", views.policy, name="policy"),
    path("policy/<int:org_pk>/generate/", views.policy_generate, name="policy_generate"),
    path("cell/<int:cell_pk>/", views.cell_meetings, name="cell_meetings"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/reschedule/", views.meeting_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/prepare/", views_prepare.prepare, name="prepare"),
    path(
        "<int:pk>/prepare/preparation/",
        views_prepare.preparation_save,
        name="prepare_preparation",
    ),
    path("<int:pk>/prepare/details/", views_prepare.details_save, name="prepare_details"),
    path("<int:pk>/prepare/publish/", views_prepare.publish, name="publish"),
    path("<int:pk>/prepare/agenda/build/", views_prepare.agenda_build, name="prepare_agenda_build"),
    path("<int:pk>/prepare/agenda/add/", views_prepare.agenda_add, name="prepare_agenda_add"),
    path(
        "<int:pk>/prepare/agenda/directive/<int:delivery_pk>/",
        views_prepare.agenda_add_directive,
        name="prepare_agenda_directive",
    ),
    path(
        "<int:pk>/prepare/agenda/<int:item_pk>/edit/",
        views_prepare.agenda_edit,
        name="prepare_agenda_edit",
    ),
    path(
        "<int:pk>/prepare/agenda/<int:item_pk>/move/",
        views_prepare.agenda_move,
        name="prepare_agenda_move",
    ),
    path(
        "<int:pk>/prepare/agenda/<int:item_pk>/delete/",
        views_prepare.agenda_delete,
        name="prepare_agenda_delete",
    ),
    path(
        "<int:pk>/prepare/documents/add/",
        views_prepare.document_add,
        name="prepare_document_add",
    ),
    path(
        "<int:pk>/prepare/documents/<int:doc_pk>/remove/",
        views_prepare.document_remove,
        name="prepare_document_remove",
    ),
]
