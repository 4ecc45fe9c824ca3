"""URLs of the proposals app."""

from django.urls import path  # noqa: F401

app_name = "proposals"
urlpatterns: list = []
