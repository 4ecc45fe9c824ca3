from django.urls import path

from chibo.meetings import views_live as views
from chibo.meetings import views_record

urlpatterns = [
    path("<int:pk>/open/", views.meeting_open, name="open"),
    path("<int:pk>/live/", views.live, name="live"),
    path(
        "<int:pk>/live/attendance/<int:member_id>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path(
        "<int:pk>/live/attendance/rest-present/",
        views.attendance_rest_present,
        name="attendance_rest_present",
    ),
    path("<int:pk>/live/guests/", views.guest_add, name="guest_add"),
    path("<int:pk>/live/speeches/", views.speech_add, name="speech_add"),
    path(
        "<int:pk>/live/speeches/<int:speech_pk>/delete/",
        views.speech_delete,
        name="speech_delete",
    ),
    path("<int:pk>/live/commendations/", views.commendation_add, name="commendation_add"),
    path("<int:pk>/live/agenda/<int:item_pk>/", views.agenda_item_record, name="agenda_record"),
    path("<int:pk>/live/assignments/", views.assignment_add, name="assignment_add"),
    path(
        "<int:pk>/live/assignments/<int:assignment_pk>/review/",
        views.assignment_review,
        name="assignment_review",
    ),
    path("<int:pk>/live/votes/", views.vote_record, name="vote_record"),
    path("<int:pk>/live/votes/<int:vote_pk>/delete/", views.vote_delete, name="vote_delete"),
    path("<int:pk>/live/close/", views.meeting_close, name="close"),
    path("<int:pk>/live/score/", views_record.score_save, name="score_save"),
    path("<int:pk>/live/score/confirm/", views_record.score_confirm, name="score_confirm"),
    path("<int:pk>/live/record/", views_record.record_edit, name="record_edit"),
    path("<int:pk>/live/sign/", views_record.meeting_sign, name="sign"),
    path("<int:pk>/live/sign/withdraw/", views_record.signature_withdraw, name="sign_withdraw"),
    path("<int:pk>/live/addenda/", views_record.addendum_add, name="addendum_add"),
    path(
        "<int:pk>/live/addenda/<int:number>/sign/", views_record.addendum_sign, name="addendum_sign"
    ),
    path(
        "<int:pk>/live/addenda/<int:number>/withdraw/",
        views_record.addendum_withdraw,
        name="addendum_withdraw",
    ),
]
