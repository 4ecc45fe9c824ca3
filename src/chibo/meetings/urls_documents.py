from django.urls import path

from chibo.meetings import views_documents

urlpatterns = [
    path("<int:pk>/minutes.<str:fmt>", views_documents.minutes_file, name="minutes_file"),
    path("<int:pk>/resolution.<str:fmt>", views_documents.resolution_file, name="resolution_file"),
    path(
        "<int:pk>/addenda/<int:number>.<str:fmt>",
        views_documents.addendum_file,
        name="addendum_file",
    ),
    path("verify/", views_documents.verify, name="verify"),
    path("cell/<int:cell_pk>/book/<int:year>/", views_documents.book, name="book"),
    path("cell/<int:cell_pk>/book/<int:year>.pdf", views_documents.book_pdf, name="book_pdf"),
    path(
        "cell/<int:cell_pk>/book/<int:year>/prepare/",
        views_documents.book_prepare,
        name="book_prepare",
    ),
    path(
        "cell/<int:cell_pk>/book/<int:year>/progress/",
        views_documents.book_progress,
        name="book_progress",
    ),
]
