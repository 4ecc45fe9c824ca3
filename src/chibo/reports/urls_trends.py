"""URLs of the trends part (issue 12)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
