from django.urls import path

from chibo.meetings import views_outward

urlpatterns = [
    path("<int:pk>/outward/", views_outward.outward, name="outward"),
    path("<int:pk>/outward/add/", views_outward.recipient_add, name="outward_add"),
    path(
        "<int:pk>/outward/<int:recipient_pk>/received/",
        views_outward.recipient_acknowledge,
        name="outward_acknowledge",
    ),
    path(
        "<int:pk>/outward/<int:recipient_pk>/notice.pdf",
        views_outward.notice_pdf,
        name="outward_notice",
    ),
    path("cell/<int:cell_pk>/outward/", views_outward.cell_outward, name="cell_outward"),
]
