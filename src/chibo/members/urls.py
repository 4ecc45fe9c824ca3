from django.urls import path

from chibo.members import views, views_io

app_name = "members"
urlpatterns = [
    path("cell/<int:org_pk>/", views.cell_list, name="cell_list"),
    path("cell/<int:org_pk>/new/", views.member_new, name="new"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/status/", views.member_status, name="status"),
    path("<int:org_pk>/import/", views_io.member_import, name="import"),
    path("<int:org_pk>/import/<str:token>/", views_io.member_import_confirm, name="import_confirm"),
    path("<int:org_pk>/export.xlsx", views_io.member_export, name="export"),
    path("import-template.xlsx", views_io.member_import_template, name="import_template"),
]
