"""The site's URLs plus the structure report behind `@replica_view`, for the end-to-end test of
the read replica (the dashboards that opt in are added by issue 12's other parts)."""

from django.urls import path

from chibo.core.replica import replica_view
from chibo.reports import views
from chibo.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path(
        "replica/structure/<int:org_pk>/", replica_view(views.structure), name="replica_structure"
    ),
    *site_urlpatterns,
]
