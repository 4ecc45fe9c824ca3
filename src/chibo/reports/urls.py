from django.urls import path

from chibo.reports import views

app_name = "reports"
urlpatterns = [
    path("structure/<int:org_pk>/", views.structure, name="structure"),
    path("structure/<int:org_pk>/structure.xlsx", views.structure_xlsx, name="structure_xlsx"),
]
