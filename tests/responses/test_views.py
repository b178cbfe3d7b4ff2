"""The response pages: access, actions, comments, conflicts and history."""

import re

import pytest
from django.urls import reverse

from responses import workflow
from responses.models import Comment, FindingResponse, Response, Status
from tests.factories import make_finding, make_inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    inspection = make_inspection(title="Police response to burglary")
    make_finding(inspection, reference="Rec 01")
    make_finding(inspection, reference="AFI 1", kind="afi")
    return inspection


@pytest.fixture
def response(inspection, drafter):
    return workflow.start_response(inspection=inspection, actor=drafter)


def login(client, user):
    client.force_login(user)
    return client


def write_everything(client, response):
    client.post(
        reverse("response-section-edit", args=[response.pk, "commissioner"]),
        {"commissioner_comments": "I welcome the report.", "version": response.version},
    )
    for finding in response.inspection.findings.all():
        client.post(
            reverse("response-answer-edit", args=[response.pk, finding.pk]),
            {"text": f"Action on {finding.label}.", "version": 0},
        )


# Pages that need the right role: (url name, args builder, permitted persona, refused persona)
GET_PAGES = [
    ("response-detail", lambda r: [r.pk], "reviewer", "outsider"),
    ("response-history", lambda r: [r.pk], "reviewer", "outsider"),
    ("response-section-edit", lambda r: [r.pk, "commissioner"], "drafter", "reviewer"),
    (
        "response-answer-edit",
        lambda r: [r.pk, r.inspection.findings.first().pk],
        "drafter",
        "reviewer",
    ),
]
POST_ONLY = [
    ("response-action", lambda r: [r.pk, "submit"], "drafter", "reviewer"),
    ("response-action", lambda r: [r.pk, "approve"], "reviewer", "drafter"),
    ("response-comment-add", lambda r: [r.pk], "reviewer", "drafter"),
    ("response-assign-owner", lambda r: [r.pk], "drafter", "reviewer"),
    ("response-start", lambda r: [r.inspection.pk], "drafter", "reviewer"),
    (
        "response-restore",
        lambda r: [r.pk, "response", Response.history.filter(id=r.pk).first().history_id],
        "drafter",
        "reviewer",
    ),
]


@pytest.mark.parametrize(("name", "args", "allowed", "refused"), GET_PAGES + POST_ONLY)
def test_anonymous_users_are_sent_to_sign_in(client, response, name, args, allowed, refused):
    url = reverse(name, args=args(response))
    got = client.post(url) if (name, args, allowed, refused) in POST_ONLY else client.get(url)
    assert got.status_code == 302
    assert got.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "args", "allowed", "refused"), GET_PAGES + POST_ONLY)
def test_users_without_the_role_get_403(client, request, response, name, args, allowed, refused):
    login(client, request.getfixturevalue(refused))
    url = reverse(name, args=args(response))
    got = client.post(url) if (name, args, allowed, refused) in POST_ONLY else client.get(url)
    assert got.status_code == 403


@pytest.mark.parametrize(("name", "args", "allowed", "refused"), POST_ONLY)
def test_post_only_actions_refuse_get(client, request, response, name, args, allowed, refused):
    login(client, request.getfixturevalue(allowed))
    assert client.get(reverse(name, args=args(response))).status_code == 405


@pytest.mark.parametrize(("name", "args", "allowed", "refused"), GET_PAGES)
def test_pages_show_to_their_role(client, request, response, name, args, allowed, refused):
    login(client, request.getfixturevalue(allowed))
    assert client.get(reverse(name, args=args(response))).status_code == 200


def test_the_response_page_shows_status_holder_and_completeness(client, response, drafter):
    page = login(client, drafter).get(reverse("response-detail", args=[response.pk])).text
    assert "Draft" in page
    assert "Dana" in page
    assert "Write the commissioner&#x27;s comments" in page
    assert "Submit for review" in page


def test_starting_a_response_from_the_inspection(client, inspection, drafter):
    got = login(client, drafter).post(reverse("response-start", args=[inspection.pk]))
    response = Response.objects.get(inspection=inspection)
    assert got.url == reverse("response-detail", args=[response.pk])
    assert response.owner == drafter


def test_the_inspection_page_says_when_no_response_is_started(client, inspection, drafter):
    page = login(client, drafter).get(inspection.get_absolute_url()).text
    assert "No response yet" in page
    assert "Start writing the response" in page


def test_the_inspection_page_shows_the_response_status_and_holder(client, response, reviewer):
    page = login(client, reviewer).get(response.inspection.get_absolute_url()).text
    assert "Draft" in page
    assert "Dana" in page


def test_submitting_through_the_page_writes_history(client, response, drafter):
    got = login(client, drafter).post(
        reverse("response-action", args=[response.pk, "submit"]), {"reason": "Ready"}
    )
    assert got.status_code == 302
    assert Response.objects.get(pk=response.pk).status == Status.IN_REVIEW
    row = Response.history.filter(id=response.pk).first()
    assert row.history_user == drafter
    assert row.history_change_reason == "Submit for review: Ready"


def test_a_wrong_state_transition_is_refused_with_the_reason(client, response, drafter):
    rows = Response.history.count()
    got = login(client, drafter).post(reverse("response-action", args=[response.pk, "withdraw"]))
    assert got.status_code == 400
    assert "cannot be given" in got.text
    assert Response.history.count() == rows


def test_an_unknown_action_is_404(client, response, drafter):
    got = login(client, drafter).post(reverse("response-action", args=[response.pk, "explode"]))
    assert got.status_code == 404


def test_the_whole_route_through_the_pages(client, response, drafter, reviewer, make_user):
    approver = make_user("ria", "Reviewer")
    login(client, drafter)
    write_everything(client, response)
    client.post(reverse("response-action", args=[response.pk, "submit"]))
    login(client, reviewer)
    client.post(
        reverse("response-comment-add", args=[response.pk]),
        {"section": "commissioner", "text": "Mention the victims."},
    )
    client.post(
        reverse("response-action", args=[response.pk, "request_changes"]),
        {"reason": "See my comment."},
    )
    assert Response.objects.get(pk=response.pk).status == Status.CHANGES_REQUESTED
    login(client, drafter)
    client.post(
        reverse("response-section-edit", args=[response.pk, "commissioner"]),
        {
            "commissioner_comments": "I welcome the report, for the victims.",
            "version": Response.objects.get(pk=response.pk).version,
        },
    )
    comment = Comment.objects.get()
    client.post(reverse("comment-resolve", args=[comment.pk]))
    client.post(reverse("response-action", args=[response.pk, "submit"]))
    login(client, approver)
    got = client.post(reverse("response-action", args=[response.pk, "approve"]))
    assert got.status_code == 302
    assert Response.objects.get(pk=response.pk).status == Status.APPROVED
    steps = [
        (r.history_user.username, r.history_change_reason)
        for r in Response.history.filter(id=response.pk).order_by("history_date")
    ]
    assert steps[-5:] == [
        ("dana", "Submit for review"),
        ("rob", "Request changes: See my comment."),
        ("dana", "Edited: the commissioner's comments"),
        ("dana", "Submit for review"),
        ("ria", "Approve"),
    ]


def test_approval_with_open_comments_is_refused_on_the_page(client, response, drafter, reviewer):
    login(client, drafter)
    write_everything(client, response)
    client.post(reverse("response-action", args=[response.pk, "submit"]))
    login(client, reviewer)
    client.post(reverse("response-comment-add", args=[response.pk]), {"text": "Hmm."})
    page = client.get(reverse("response-detail", args=[response.pk])).text
    assert "Resolve the open review comments" in page
    got = client.post(reverse("response-action", args=[response.pk, "approve"]))
    assert got.status_code == 400
    assert Response.objects.get(pk=response.pk).status == Status.IN_REVIEW


def test_two_drafters_editing_the_same_section_see_a_conflict(
    client, response, drafter, second_drafter
):
    url = reverse("response-section-edit", args=[response.pk, "commissioner"])
    loaded = response.version
    login(client, drafter).post(url, {"commissioner_comments": "Dana's text.", "version": loaded})
    got = login(client, second_drafter).post(
        url, {"commissioner_comments": "Dev's text.", "version": loaded}
    )
    assert got.status_code == 409
    assert "Someone else changed this since you opened it" in got.text
    assert "Dana&#x27;s text." in got.text
    assert "Dev&#x27;s text." in got.text
    current = Response.objects.get(pk=response.pk)
    assert current.commissioner_comments == "Dana's text."
    # The form offers the saved version, so the merged text saves.
    assert f'value="{current.version}"' in got.text
    got = client.post(url, {"commissioner_comments": "Both texts.", "version": current.version})
    assert got.status_code == 302
    assert Response.objects.get(pk=response.pk).commissioner_comments == "Both texts."


def test_two_drafters_editing_one_answer_see_a_conflict(client, response, drafter, second_drafter):
    finding = response.inspection.findings.first()
    url = reverse("response-answer-edit", args=[response.pk, finding.pk])
    login(client, drafter).post(url, {"text": "One.", "version": 0})
    got = login(client, second_drafter).post(url, {"text": "Two.", "version": 0})
    assert got.status_code == 409
    assert FindingResponse.objects.get(finding=finding).text == "One."


def test_chief_constable_dates_are_checked(client, response, drafter):
    got = login(client, drafter).post(
        reverse("response-section-edit", args=[response.pk, "chief-constable"]),
        {
            "chief_constable_requested_on": "2025-06-10",
            "chief_constable_received_on": "2025-06-01",
            "version": response.version,
        },
    )
    assert got.status_code == 400
    assert (
        "Date the chief constable&#x27;s comments were received must be the same as or after "
        "the date the comments were requested (10 June 2025)"
    ) in got.text


def test_editing_a_response_in_review_is_refused(client, response, drafter):
    workflow.submit(response=response, actor=drafter)
    got = login(client, drafter).get(
        reverse("response-section-edit", args=[response.pk, "commissioner"])
    )
    assert got.status_code == 400
    assert "cannot be edited" in got.text


def test_the_history_page_shows_each_step_with_diffs(client, response, drafter):
    login(client, drafter)
    url = reverse("response-section-edit", args=[response.pk, "commissioner"])
    client.post(url, {"commissioner_comments": "I welcome the report.", "version": 1})
    client.post(url, {"commissioner_comments": "I warmly welcome the report.", "version": 2})
    page = client.get(reverse("response-history", args=[response.pk])).text
    assert "Edited: the commissioner&#x27;s comments" in page
    assert (
        '<ins class="app-diff__ins"><span class="govuk-visually-hidden">[added: </span>warmly'
        in page
    )
    assert "Restore version 2" in page


def test_restoring_a_version_through_the_page(client, response, drafter):
    login(client, drafter)
    url = reverse("response-section-edit", args=[response.pk, "commissioner"])
    client.post(url, {"commissioner_comments": "First.", "version": 1})
    client.post(url, {"commissioner_comments": "Second.", "version": 2})
    first = Response.history.get(id=response.pk, version=2)
    got = client.post(reverse("response-restore", args=[response.pk, "response", first.history_id]))
    assert got.status_code == 302
    current = Response.objects.get(pk=response.pk)
    assert current.commissioner_comments == "First."
    assert current.version == 4


def test_assigning_an_owner(client, response, drafter, second_drafter):
    login(client, drafter).post(
        reverse("response-assign-owner", args=[response.pk]), {"owner": second_drafter.pk}
    )
    assert Response.objects.get(pk=response.pk).owner == second_drafter


# --- the action forms follow the GOV.UK error pattern -----------------------------------


def _in_review(client, response, drafter):
    login(client, drafter)
    write_everything(client, response)
    workflow.submit(response=response, actor=drafter)


def _summary_links(html: str) -> list[tuple[str, str]]:
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def _tag(html: str, element_id: str) -> str:
    return re.search(rf'<(?:textarea|input|select)[^>]*id="{element_id}"[^>]*>', html).group(0)


def test_requesting_changes_without_saying_what_shows_the_error_at_the_field(
    client, response, drafter, reviewer
):
    _in_review(client, response, drafter)

    got = login(client, reviewer).post(
        reverse("response-action", args=[response.pk, "request_changes"]), {"reason": "  "}
    )

    assert got.status_code == 400
    assert got.text.count("<title>Error: ") == 1
    assert _summary_links(got.text) == [
        ("request_changes-reason", "Enter what needs to change")
    ]
    field = _tag(got.text, "request_changes-reason")
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="request_changes-reason_error request_changes-reason-info"' in field
    assert 'id="request_changes-reason_error"' in got.text
    Response.objects.get(pk=response.pk, status=Status.IN_REVIEW)


def test_a_refused_approval_links_each_reason_to_the_note_and_keeps_it(
    client, response, drafter, reviewer
):
    _in_review(client, response, drafter)
    workflow.add_comment(response=response, actor=reviewer, text="Say when.")

    got = login(client, reviewer).post(
        reverse("response-action", args=[response.pk, "approve"]),
        {"reason": "Checked against the report <v2>."},
    )

    assert got.status_code == 400
    assert _summary_links(got.text) == [
        ("approve-reason", "Resolve the open review comments (1) before approving")
    ]
    assert "Checked against the report &lt;v2&gt;.</textarea>" in got.text


def test_a_comment_left_empty_opens_its_details_with_the_error(
    client, response, drafter, reviewer
):
    _in_review(client, response, drafter)

    got = login(client, reviewer).post(
        reverse("response-comment-add", args=[response.pk]),
        {"section": "commissioner", "text": ""},
    )

    assert got.status_code == 400
    assert _summary_links(got.text) == [("comment-commissioner-text", "Enter a comment")]
    section = got.text[got.text.index('id="commissioner"') : got.text.index('id="chief-constable"')]
    assert '<details class="govuk-details" open>' in section
    assert 'aria-invalid="true"' in _tag(got.text, "comment-commissioner-text")
    # The other sections' comment boxes stay closed.
    assert got.text.count('<details class="govuk-details" open>') == 1


def test_a_comment_too_long_is_kept_whole_with_its_limit(client, response, drafter, reviewer):
    _in_review(client, response, drafter)
    text = "Say when the board meets. " * 80

    got = login(client, reviewer).post(
        reverse("response-comment-add", args=[response.pk]),
        {"section": "", "text": text},
    )

    assert got.status_code == 400
    assert "Comment must be 2,000 characters or fewer" in got.text
    assert text.strip() in got.text
    assert not Comment.objects.exists()


# --- what needs to change, shown to the drafter -----------------------------------------

LONG_REASON = (
    "Say when the Executive Board next reviews progress, and what the force will report to it: "
    "the comments read as if nothing happens until the next inspection. " * 6
)


def test_a_long_reason_for_changes_is_kept_whole_and_shown_to_the_drafter(
    client, response, drafter, reviewer
):
    _in_review(client, response, drafter)
    comment = workflow.add_comment(response=response, actor=reviewer, text="Say when.")

    got = login(client, reviewer).post(
        reverse("response-action", args=[response.pk, "request_changes"]),
        {"reason": LONG_REASON},
    )

    assert got.status_code == 302
    assert len(LONG_REASON.strip()) > 900
    page = login(client, drafter).get(response.get_absolute_url()).text
    banner = page[page.index("govuk-notification-banner") : page.index("</h1>")]
    assert "Changes requested" in banner
    assert LONG_REASON.strip() in banner
    assert '<a class="govuk-notification-banner__link" href="#open-comments">' in banner
    assert "1 review comment still open" in banner
    assert f'href="#comment-{comment.pk}"' in page
    assert f'id="comment-{comment.pk}"' in page
    history = Response.history.filter(id=response.pk).first()
    assert history.history_change_reason == f"Request changes: {LONG_REASON.strip()}"


def test_the_reason_for_changes_goes_once_the_response_is_submitted_again(
    client, response, drafter, reviewer
):
    _in_review(client, response, drafter)
    workflow.request_changes(response=response, actor=reviewer, reason="Say when.")
    assert "Changes requested" in login(client, drafter).get(response.get_absolute_url()).text

    workflow.submit(response=response, actor=drafter)

    page = client.get(response.get_absolute_url()).text
    assert "govuk-notification-banner" not in page


# --- honest labels ----------------------------------------------------------------------


def test_parts_needed_for_approval_are_not_called_optional(client, response, drafter):
    login(client, drafter)
    commissioner = client.get(
        reverse("response-section-edit", args=[response.pk, "commissioner"])
    ).text
    rec = response.inspection.findings.get(reference="Rec 01")
    answer = client.get(reverse("response-answer-edit", args=[response.pk, rec.pk])).text

    for page in (commissioner, answer):
        assert "(optional)" not in page
        assert "Needed before the response can be approved." in page
    chief = client.get(reverse("response-section-edit", args=[response.pk, "chief-constable"]))
    assert "The chief constable&#x27;s comments</label>" in chief.text
    assert "comments were requested</legend>" in chief.text
    assert "comments were received (optional)</legend>" in chief.text


# Bad input (issue 11): refused with a message, and nothing changes.


def test_a_comment_on_a_section_the_response_does_not_have_is_refused(client, response, reviewer):
    got = login(client, reviewer).post(
        reverse("response-comment-add", args=[response.pk]), {"section": "s" * 60, "text": "Hi"}
    )
    assert got.status_code == 400
    assert "Comment on a section of this response" in got.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_a_finding_of_the_response_is_taken(client, response, reviewer, inspection):
    section = f"finding-{inspection.findings.first().pk}"
    login(client, reviewer).post(
        reverse("response-comment-add", args=[response.pk]), {"section": section, "text": "Hi"}
    )
    assert Comment.objects.get().section == section


def test_a_null_character_in_an_action_reason_is_refused(client, response, drafter):
    write_everything(login(client, drafter), response)
    got = client.post(
        reverse("response-action", args=[response.pk, "submit"]),
        "reason=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert got.status_code == 400
    response.refresh_from_db()
    assert response.status == Status.DRAFT


def test_a_long_action_reason_is_kept_whole_in_the_history(client, response, drafter):
    write_everything(login(client, drafter), response)
    reason = "The chief constable's comments arrived late; " * 10
    client.post(reverse("response-action", args=[response.pk, "submit"]), {"reason": reason})
    response.refresh_from_db()
    assert response.status == Status.IN_REVIEW
    assert response.history.first().history_change_reason == f"Submit for review: {reason.strip()}"
