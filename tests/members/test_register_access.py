"""Who may export or import a unit's register file (`members.access.get_register_for_user`):
An keeps Khối 1's register, Bình is a member of Khối 1, Cúc follows the ward from above, Dũng
is a member of Khối 2."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chibo.members.access import get_register_for_user

pytestmark = pytest.mark.django_db


def test_keepers_import_and_overseers_export(world):
    assert get_register_for_user(world.an_user, world.khoi1.pk, manage=True) == world.khoi1
    assert get_register_for_user(world.cuc_user, world.ward.pk) == world.ward
    with pytest.raises(PermissionDenied):
        get_register_for_user(world.cuc_user, world.khoi1.pk, manage=True)


def test_a_member_is_refused_their_cells_file_and_sees_no_other(world):
    with pytest.raises(PermissionDenied):
        get_register_for_user(world.binh_user, world.khoi1.pk)
    with pytest.raises(Http404):
        get_register_for_user(world.dung_user, world.khoi1.pk)
