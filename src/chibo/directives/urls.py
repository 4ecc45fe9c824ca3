"""URLs of the directives app."""

from django.urls import path  # noqa: F401

app_name = "directives"
urlpatterns: list = []
