"""Every create form is posted once: a double click or a resubmitted post creates nothing more.

A create form (OnceForm) carries a key made when its page is shown. Posting it records the key,
in the same transaction as what it creates, under a unique constraint: a second post with the
same key, one after the other or at the same moment, finds the key taken (the database makes
the second wait for the first) and goes where the first went. A post whose page had no key is
taken as it is.
"""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction

from inspections.models import FormSubmission
from pfcc.forms import GovukForm


class OnceForm(GovukForm):
    submission = forms.UUIDField(label="Form key", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())


def posted_before(post, user) -> str | None:
    """Where the form posted as `post` (request.POST) went, if `user` posted it before: for a
    form that its own first post changes, so that a second would not even be valid (a first
    publication makes the next one an amendment)."""
    try:
        key = uuid.UUID(post.get("submission", ""))
    except ValueError:
        return None
    earlier = FormSubmission.objects.filter(key=key, user=user).first()
    return earlier.result_url if earlier else None


@transaction.atomic
def once(*, key: uuid.UUID | None, user, create: Callable[[], str]) -> str:
    """Runs `create`, which makes something and returns the URL to go to next, unless `user`
    posted `key` before: then returns the URL that post went to, having made nothing.

    An exception from `create` undoes the record of the key too, so that the form can be
    corrected and posted again.
    """
    if key is None:
        return create()
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(key=key, user=user)
    except IntegrityError:
        return FormSubmission.objects.get(key=key, user=user).result_url
    submission.result_url = create()
    submission._change_reason = "Posted"
    submission.save(update_fields=["result_url"])
    return submission.result_url
