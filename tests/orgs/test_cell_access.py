"""The one cell helper (`orgs.access.get_cell_for_user`): who reads a cell, who keeps its
register, and the flags every page builds on. An is Khối 1's secretary, Bình a member of
Khối 1, Cúc follows the ward from above, Dũng is a member of Khối 2, Hà an administrator."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chibo.orgs.access import get_cell_for_user

pytestmark = pytest.mark.django_db


def test_the_secretary_reads_and_keeps_their_cell(world):
    access = get_cell_for_user(world.an_user, world.khoi1.pk, write=True)
    assert access.cell == world.khoi1
    assert (access.oversees, access.can_manage, access.own_cell) == (True, True, True)


def test_an_upper_level_follower_reads_but_does_not_write(world):
    access = get_cell_for_user(world.cuc_user, world.khoi1.pk)
    assert (access.oversees, access.can_manage) == (True, False)
    with pytest.raises(PermissionDenied):
        get_cell_for_user(world.cuc_user, world.khoi1.pk, write=True)


def test_an_ordinary_member_reads_their_own_cell_only_where_members_read(world):
    # Sensitive pages (candidates, reviews, dues, residence): a fellow member gets 404.
    with pytest.raises(Http404):
        get_cell_for_user(world.binh_user, world.khoi1.pk)
    # The member list and the meetings: the cell's own members read it, without writing.
    access = get_cell_for_user(world.binh_user, world.khoi1.pk, members_read=True)
    assert (access.oversees, access.can_manage, access.own_cell) == (False, False, True)
    with pytest.raises(PermissionDenied):
        get_cell_for_user(world.binh_user, world.khoi1.pk, write=True, members_read=True)


def test_another_cell_and_unknown_ids_do_not_exist(world):
    with pytest.raises(Http404):
        get_cell_for_user(world.dung_user, world.khoi1.pk, members_read=True)
    with pytest.raises(Http404):
        get_cell_for_user(world.admin_user, 999_999)


def test_kinds_say_which_units_a_page_is_about(world):
    # A committee is not a cell: 404 on cell pages, readable where any unit is meant.
    with pytest.raises(Http404):
        get_cell_for_user(world.cuc_user, world.ward.pk)
    assert get_cell_for_user(world.cuc_user, world.ward.pk, kinds=None).organization == world.ward
    assert get_cell_for_user(world.admin_user, world.ward.pk, kinds=None, write=True).is_admin
