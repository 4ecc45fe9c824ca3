"""Routes of supervision's quality over time and perfunctory meetings (included by
supervision.urls under its namespace)."""

from django.urls import path

from chibo.supervision import views_quality

urlpatterns = [
    path("committees/<int:pk>/quality/", views_quality.quality, name="quality"),
    path("cells/<int:pk>/quality/", views_quality.cell_quality, name="cell_quality"),
    path("committees/<int:pk>/perfunctory/", views_quality.perfunctory, name="perfunctory"),
    path("perfunctory/<int:pk>/", views_quality.perfunctory_flag, name="perfunctory_flag"),
]
