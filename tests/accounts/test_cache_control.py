"""`Cache-Control: private, no-store` on every answer to a logged-in user (issue 14)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from chibo.core.middleware import NoStoreForUsersMiddleware


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_stored(world, client):
    client.force_login(world.an_user)
    for path in (
        "/",
        f"/members/cell/{world.khoi1.pk}/",
        f"/members/{world.binh.pk}/",
        "/accounts/handbook/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= directives(response), path


@pytest.mark.django_db
def test_an_export_keeps_its_own_no_store(world, client):
    client.force_login(world.an_user)
    response = client.get(f"/members/{world.khoi1.pk}/export.xlsx")
    assert response.status_code == 200
    assert "no-store" in directives(response)


def test_an_anonymous_visitor_is_left_alone(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    response = NoStoreForUsersMiddleware(lambda request: HttpResponse("x"))(request)
    assert not response.has_header("Cache-Control")


def test_a_public_header_of_a_view_is_made_private(rf, django_user_model):
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = rf.get("/")
    request.user = django_user_model(username="x")
    response = NoStoreForUsersMiddleware(view)(request)
    assert "public" not in directives(response)
    assert {"private", "no-store"} <= directives(response)
