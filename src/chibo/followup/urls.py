from django.urls import path

from chibo.followup import views

app_name = "followup"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("cell/<int:cell_pk>/", views.cell, name="cell"),
]
