"""An empty POST to the residence-link forms is a submission with errors, not HTTP 500
(issue 9, item 23)."""

from django.urls import reverse

from chibo.residence.models import ResidenceLink
from tests.residence.test_services import link


def test_an_empty_post_to_the_link_form_shows_the_forms_errors(world, res, client):
    client.force_login(res.hoa_user)
    response = client.post(reverse("residence:link_new", args=[res.giang.pk]), {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chọn chi bộ nơi cư trú." in page
    assert "invalid-feedback" in page
    assert not ResidenceLink.objects.filter(member=res.giang).exists()


def test_an_empty_post_to_end_a_link_shows_the_forms_errors(world, res, client):
    current = link(world, res)
    client.force_login(res.hoa_user)
    response = client.post(reverse("residence:link_end", args=[current.pk]), {})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    current.refresh_from_db()
    assert current.end_date is None
