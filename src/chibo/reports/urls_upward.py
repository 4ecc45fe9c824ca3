"""URLs of the upward part (issue 12)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
