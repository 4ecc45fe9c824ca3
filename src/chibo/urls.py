from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("chibo.core.urls")),
    path("accounts/", include("chibo.accounts.urls")),
    path("orgs/", include("chibo.orgs.urls")),
    path("members/", include("chibo.members.urls")),
    path("meetings/", include("chibo.meetings.urls")),
    path("followup/", include("chibo.followup.urls")),
    path("inbox/", include("chibo.notify.urls")),
    path("reports/", include("chibo.reports.urls")),
    path("lifecycle/", include("chibo.lifecycle.urls")),
    path("reviews/", include("chibo.reviews.urls")),
    path("residence/", include("chibo.residence.urls")),
    path("django-admin/", admin.site.urls),
]
