"""Every create form is posted once (inspections.submissions): a double click, a resubmitted post
or two posts at the same moment make one record, and the second goes where the first went."""

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from inspections.models import Finding, Inspection, ProgressUpdate, TargetRevision
from responses.models import Comment, Publication
from tests.catalogue import build_world
from tests.factories import date_parts


@dataclass(frozen=True)
class CreateForm:
    """A create form: the page it is on, who uses it, where it posts, what it makes."""

    persona: str
    page: Callable  # world -> URL of the page showing the form
    form: Callable  # the page's context -> the form
    post: Callable  # world -> URL the form posts to
    data: Callable  # world -> what a person fills in
    count: Callable  # world -> how many of what it makes there are


def _recent(world) -> datetime.date:
    return world.police.published_on + datetime.timedelta(days=1)


CREATE_FORMS = {
    "inspection": CreateForm(
        "drafter",
        lambda w: reverse("inspection-create"),
        lambda ctx: ctx["form"],
        lambda w: reverse("inspection-create"),
        lambda w: {
            "title": "An inspection of custody",
            **date_parts("published_on", _recent(w)),
            "inspection_type": "peel",
            "service": "police",
            "force_inspected": "on",
        },
        lambda w: Inspection.objects.count(),
    ),
    "finding": CreateForm(
        "drafter",
        lambda w: reverse("finding-add", args=[w.police.pk]),
        lambda ctx: ctx["form"],
        lambda w: reverse("finding-add", args=[w.police.pk]),
        lambda w: {
            "kind": "afi",
            "text": "The force should train its staff.",
            "due_precision": "none",
            "applies": "on",
        },
        lambda w: Finding.objects.count(),
    ),
    "comment": CreateForm(
        "reviewer",
        lambda w: reverse("response-detail", args=[w.draft.pk]),
        lambda ctx: ctx["sections"][0]["comment_form"],
        lambda w: reverse("response-comment-add", args=[w.draft.pk]),
        lambda w: {"section": "commissioner", "text": "Say when the board meets."},
        lambda w: Comment.objects.count(),
    ),
    "progress update": CreateForm(
        "drafter",
        lambda w: reverse("finding-tracking", args=[w.recommendation.pk]),
        lambda ctx: ctx["progress_form"],
        lambda w: reverse("finding-progress-add", args=[w.recommendation.pk]),
        lambda w: {"text": "The audit has started."},
        lambda w: ProgressUpdate.objects.count(),
    ),
    "target revision": CreateForm(
        "drafter",
        lambda w: reverse("finding-tracking", args=[w.recommendation.pk]),
        lambda ctx: ctx["revision_form"],
        lambda w: reverse("finding-target-revise", args=[w.recommendation.pk]),
        lambda w: {
            **date_parts("revised_date", _recent(w) + datetime.timedelta(days=300)),
            "reason": "The audit standard moved.",
            "approved_by_name": "Deputy Chief Constable",
        },
        lambda w: TargetRevision.objects.count(),
    ),
    "pasted findings": CreateForm(
        "drafter",
        None,  # the preview is the answer to a post: see _key
        lambda ctx: ctx["confirm_form"],
        lambda w: reverse("findings-confirm", args=[w.police.pk]),
        lambda w: {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-include": "on",
            "form-0-kind": "afi",
            "form-0-text": "The force should review its custody records.",
            "form-0-due_precision": "none",
        },
        lambda w: Finding.objects.count(),
    ),
    "publication": CreateForm(
        "publisher",
        lambda w: reverse("response-publish", args=[w.approved.pk]),
        lambda ctx: ctx["form"],
        lambda w: reverse("response-publish", args=[w.approved.pk]),
        lambda w: {},
        lambda w: Publication.objects.count(),
    ),
}


def _client(world, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def _key(world, create: CreateForm) -> str:
    """The key of the form as its page shows it."""
    client = _client(world, create.persona)
    if create.page is None:
        text = "AFI 7\nThe force should review its custody records."
        paste = reverse("findings-paste", args=[world.police.pk])
        shown = client.post(paste, {"text": text, "kind": "afi"})
    else:
        shown = client.get(create.page(world))
    assert shown.status_code == 200
    return str(create.form(shown.context).initial["submission"])


def _post(world, create: CreateForm, key: str):
    return _client(world, create.persona).post(
        create.post(world), {**create.data(world), "submission": key}
    )


@pytest.mark.django_db
def test_a_create_form_posted_twice_creates_once_and_both_go_to_the_same_place():
    world = build_world()
    problems = []
    for name, create in CREATE_FORMS.items():
        before = create.count(world)
        key = _key(world, create)
        first, second = _post(world, create, key), _post(world, create, key)
        if (first.status_code, second.status_code) != (302, 302):
            problems.append(f"{name}: {first.status_code}, {second.status_code}")
        elif first.url != second.url:
            problems.append(f"{name}: went to {first.url}, then {second.url}")
        if create.count(world) != before + 1:
            problems.append(f"{name}: {create.count(world) - before} made")

    assert problems == []


@pytest.mark.django_db
def test_a_new_page_is_a_new_form():
    world = build_world()
    create = CREATE_FORMS["comment"]

    _post(world, create, _key(world, create))
    _post(world, create, _key(world, create))

    assert Comment.objects.filter(text="Say when the board meets.").count() == 2


@pytest.mark.django_db
def test_a_refused_form_can_be_corrected_and_posted_again_with_its_key():
    world = build_world()
    create = CREATE_FORMS["progress update"]
    key = _key(world, create)
    client = _client(world, create.persona)

    refused = client.post(create.post(world), {"text": "", "submission": key})
    accepted = client.post(create.post(world), {"text": "Started.", "submission": key})

    assert (refused.status_code, accepted.status_code) == (400, 302)
    assert ProgressUpdate.objects.filter(text="Started.").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_create_form_posted_twice_at_the_same_moment_creates_once():
    world = build_world()
    problems = []
    for name, create in CREATE_FORMS.items():
        before = create.count(world)
        key = _key(world, create)
        start = threading.Barrier(2)
        answers = []

        def post(create=create, key=key, start=start, answers=answers):
            start.wait()
            answers.append(_post(world, create, key).status_code)
            connection.close()

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if answers != [302, 302] or create.count(world) != before + 1:
            problems.append(f"{name}: {answers}, {create.count(world) - before} made")

    assert problems == []
