"""URLs of the supervision app: one module of routes per part."""

from django.urls import include, path

from chibo.supervision import (
    urls_briefings,
    urls_inspections,
    urls_model_meetings,
    urls_quality,
    urls_visits,
    views,
)

app_name = "supervision"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("", include(urls_visits)),
    path("model-meetings/", include(urls_model_meetings)),
    path("briefings/", include(urls_briefings)),
    path("inspections/", include(urls_inspections)),
    path("", include(urls_quality)),
]
