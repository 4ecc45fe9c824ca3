from django.urls import include, path

from chibo.reports import urls_dashboard, urls_trends, urls_upward, views

app_name = "reports"
urlpatterns = [
    path("structure/<int:org_pk>/", views.structure, name="structure"),
    path("structure/<int:org_pk>/structure.xlsx", views.structure_xlsx, name="structure_xlsx"),
    path("", include(urls_dashboard)),
    path("", include(urls_trends)),
    path("", include(urls_upward)),
]
