"""URLs of the trends part (issue 12)."""

from django.urls import path

from chibo.reports import views_trends

urlpatterns = [
    path("trends/<int:org_pk>/", views_trends.trends, name="trends"),
    path("trends/<int:org_pk>/trends.xlsx", views_trends.trends_xlsx, name="trends_xlsx"),
    path("trends/<int:org_pk>/<slug:chart>.csv", views_trends.trends_csv, name="trends_csv"),
]
