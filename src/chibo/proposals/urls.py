"""URLs of the proposals app."""

from django.urls import path

from chibo.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_new, name="new"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("<int:pk>/escalate/", views.proposal_escalate, name="escalate"),
    path("<int:pk>/assign/", views.proposal_assign, name="assign"),
    path("<int:pk>/hand-off/", views.proposal_hand_off, name="hand_off"),
    path("<int:pk>/outside-answer/", views.proposal_outside_answer, name="outside_answer"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
