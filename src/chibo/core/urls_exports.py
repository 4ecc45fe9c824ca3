from django.urls import path

from chibo.core import views_exports

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", views_exports.export_job, name="job"),
    path("<int:pk>/status/", views_exports.export_job_status, name="job_status"),
    path("<int:pk>/file/", views_exports.export_job_file, name="job_file"),
]
