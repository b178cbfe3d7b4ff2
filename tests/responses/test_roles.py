"""The role groups the migrations make hold exactly the permissions listed for them."""

import pytest
from django.contrib.auth.models import Group

from responses.roles import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_PERMISSIONS)
def test_every_listed_permission_is_granted_after_migrating(role):
    granted = {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert granted == set(ROLE_PERMISSIONS[role])


def test_reviewers_comment_and_drafters_resolve(make_user):
    from responses import roles

    reviewer = make_user("rob", roles.REVIEWER)
    drafter = make_user("dana", roles.DRAFTER)
    assert reviewer.has_perm("responses.add_comment")
    assert not drafter.has_perm("responses.add_comment")
    assert drafter.has_perm("responses.change_comment")
