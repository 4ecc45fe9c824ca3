"""Routes of supervision's model meetings (included by supervision.urls under its namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
