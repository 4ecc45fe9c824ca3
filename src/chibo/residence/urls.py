from django.urls import path

from chibo.residence import views

app_name = "residence"
urlpatterns = [
    path("member/<int:member_pk>/panel/", views.member_panel, name="member_panel"),
    path("member/<int:member_pk>/link/new/", views.link_new, name="link_new"),
    path("link/<int:pk>/", views.link_detail, name="link"),
    path("link/<int:pk>/end/", views.link_end, name="link_end"),
    path("link/<int:pk>/participation/", views.participation_new, name="participation_new"),
    path("link/<int:pk>/request/", views.request_new, name="request_new"),
    path("link/<int:pk>/comment/new/", views.feedback_new, name="feedback_new"),
    path("comment/<int:pk>/edit/", views.feedback_edit, name="feedback_edit"),
    path("comment/<int:pk>/send/", views.feedback_send, name="feedback_send"),
    path("comment/<int:pk>/correct/", views.feedback_correct, name="feedback_correct"),
    path("cell/<int:cell_pk>/", views.residence_cell, name="residence_cell"),
    path("workplace/<int:cell_pk>/", views.workplace, name="workplace"),
]
