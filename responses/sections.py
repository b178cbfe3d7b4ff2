"""The parts of a response that are written and reviewed one at a time, and what makes it complete.

A response has three written sections of its own plus one answer per applicable finding
(Police Act 1996 s.55(4) and s.55(5B)). Each has a key used in URLs, comment anchors and
the completeness check's links. Titles are written for a police report and put in the
response's service's words by inspections.services ("The chief fire officer's comments").
"""

from dataclasses import dataclass

from inspections import services
from inspections.models import Finding, FindingKind
from inspections.richtext import to_plain
from inspections.services import ServiceRules


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # in a police report's words: use title_for()
    fields: tuple[str, ...]

    def title_for(self, rules: ServiceRules) -> str:
        return rules.words(self.title)


COMMISSIONER = Section("commissioner", "The commissioner's comments", ("commissioner_comments",))
CHIEF_CONSTABLE = Section(
    "chief-constable",
    "The chief constable's comments",
    (
        "chief_constable_requested_on",
        "chief_constable_due_on",
        "chief_constable_received_on",
        "chief_constable_comments",
        "chief_constable_absence_reason",
    ),
)
REPLY = Section(
    "reply",
    "The commissioner's response to the chief constable's comments",
    ("reply_to_chief_constable",),
)
RESPONSE_SECTIONS = {s.key: s for s in (COMMISSIONER, CHIEF_CONSTABLE, REPLY)}
# Every field a drafter writes: what an edit, a restore and a history diff are about.
CONTENT_FIELDS = tuple(f for s in RESPONSE_SECTIONS.values() for f in s.fields)


def finding_key(finding_id: int) -> str:
    return f"finding-{finding_id}"


def section_title(
    key: str, rules: ServiceRules, findings_by_key: dict[str, Finding] | None = None
) -> str:
    if not key:
        return "The whole response"
    if key in RESPONSE_SECTIONS:
        return RESPONSE_SECTIONS[key].title_for(rules)
    finding = (findings_by_key or {}).get(key)
    return f"Action on {finding.label}" if finding else "Action on a removed finding"


@dataclass(frozen=True)
class Gap:
    """Something missing before a response can be approved; `section` is where to fix it."""

    section: str
    message: str


def completeness_gaps(response, findings, answers_by_finding: dict[int, str]) -> list[Gap]:
    """What stops `response` being complete. `findings` are the inspection's findings;
    `answers_by_finding` maps a finding's pk to its answer text (missing when none yet)."""
    rules = services.of(response.inspection)
    gaps = []
    if not to_plain(response.commissioner_comments):
        gaps.append(Gap(COMMISSIONER.key, "Write the commissioner's comments"))
    if (
        response.chief_constable_requested_on
        and not to_plain(response.chief_constable_comments)
        and not response.chief_constable_absence_reason.strip()
    ):
        gaps.append(
            Gap(
                CHIEF_CONSTABLE.key,
                rules.words("Record the chief constable's comments, or explain why there are none"),
            )
        )
    for finding in findings:
        if (
            rules.explains_recommendations
            and finding.applies
            and finding.kind == FindingKind.RECOMMENDATION
            and not to_plain(answers_by_finding.get(finding.pk, ""))
        ):
            gaps.append(
                Gap(
                    finding_key(finding.pk),
                    f"Explain the action taken or proposed on {finding.label}, "
                    "or why no action is taken",
                )
            )
    return gaps
