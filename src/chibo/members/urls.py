from django.urls import path

from chibo.members import views, views_badges, views_dues, views_io, views_reads

app_name = "members"
urlpatterns = [
    path("cell/<int:org_pk>/", views.cell_list, name="cell_list"),
    path("cell/<int:org_pk>/new/", views.member_new, name="new"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:org_pk>/import/", views_io.member_import, name="import"),
    path("<int:org_pk>/import/<str:token>/", views_io.member_import_confirm, name="import_confirm"),
    path(
        "import-jobs/<int:job_pk>/confirm/",
        views_io.member_import_job_confirm,
        name="import_job_confirm",
    ),
    path("<int:org_pk>/export.xlsx", views_io.member_export, name="export"),
    path("badges/<int:org_pk>/", views_badges.badge_list, name="badges"),
    path("badges/<int:org_pk>/export.xlsx", views_badges.badge_list_export, name="badges_export"),
    path("<int:pk>/badges/new/", views_badges.badge_award_new, name="badge_new"),
    path("dues/<int:cell_pk>/", views_dues.dues_page, name="dues"),
    path("dues/<int:cell_pk>/sheet/", views_dues.dues_sheet, name="dues_sheet"),
    path("dues/<int:cell_pk>/basis/", views_dues.dues_basis_new, name="dues_basis"),
    path("dues/<int:cell_pk>/book.xlsx", views_dues.dues_export_xlsx, name="dues_xlsx"),
    path("dues/<int:cell_pk>/book.pdf", views_dues.dues_export_pdf, name="dues_pdf"),
    path("record-reads/", views_reads.record_read_list, name="record_reads"),
    path("import-template.xlsx", views_io.member_import_template, name="import_template"),
]
