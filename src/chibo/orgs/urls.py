from django.urls import path

from chibo.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/new/", views.organization_new, name="new"),
    path("new-province/", views.organization_new_root, name="new_root"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/move/", views.organization_move, name="move"),
    path("<int:pk>/positions/new/", views.position_new, name="position_new"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
]
