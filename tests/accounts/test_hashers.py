"""Password hashing (issue 13): argon2id at OWASP's minimum row, and the upgrade of the hashes
made with Django's default argon2 parameters at the next login.

The suite runs with the MD5 hasher (conftest), so these tests name the hashers they use."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from chibo.accounts.hashers import OWASP_MINIMUM, ChiboArgon2PasswordHasher

PRODUCTION_HASHERS = [
    "chibo.accounts.hashers.ChiboArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD = "correct-horse-battery"


def test_settings_put_the_chibo_hasher_first():
    # conftest swaps the list for MD5; the settings module itself is what production runs.
    from chibo import settings as production

    if production.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher"):
        pytest.skip("CHIBO_FAST_HASHER is set in this environment")
    assert production.PASSWORD_HASHERS == PRODUCTION_HASHERS


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_password_is_argon2id_with_the_chosen_parameters():
    encoded = make_password(PASSWORD)
    # argon2id, version 19, m=19456 KiB, t=2, p=1: changing the parameters must fail here.
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert isinstance(identify_hasher(encoded), ChiboArgon2PasswordHasher)
    assert check_password(PASSWORD, encoded)
    assert not check_password("wrong-horse-battery", encoded)


def test_parameters_are_at_least_owasp_minimum():
    # OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB (19,456 KiB), t=2, p=1.
    assert OWASP_MINIMUM == {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}
    hasher = ChiboArgon2PasswordHasher()
    assert hasher.memory_cost >= OWASP_MINIMUM["memory_cost"]
    assert hasher.time_cost >= OWASP_MINIMUM["time_cost"]
    assert hasher.parallelism >= OWASP_MINIMUM["parallelism"]
    assert hasher.algorithm == "argon2"  # the stored hashes keep verifying


@pytest.mark.django_db
def test_old_default_argon2_hash_logs_in_and_is_upgraded(client, django_user_model):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        user = django_user_model.objects.create_user(username="binh", password=PASSWORD)
    old = user.password
    assert old.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")

    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        response = client.post(
            reverse("accounts:login"), {"username": "binh", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("home")).context["user"] == user
        user.refresh_from_db()
        assert user.password != old
        assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_wrong_password_does_not_upgrade_an_old_hash(client, django_user_model):
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        user = django_user_model.objects.create_user(username="binh", password=PASSWORD)
    old = user.password
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        response = client.post(
            reverse("accounts:login"), {"username": "binh", "password": "wrong-horse"}
        )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.password == old
