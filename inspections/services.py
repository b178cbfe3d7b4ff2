"""Police and fire: every rule and word that differs between the two services, decided here.

A PFCC answers HMICFRS for both its police force and its fire and rescue service, under
different duties:

- Police reports: the Police Act 1996 s.55. The commissioner invites the chief constable's
  comments (s.55(4)), publishes comments within 56 days beginning with the day of the report
  (s.55(5A)), explains the action on every recommendation (s.55(5B)) and sends copies to
  HMICFRS and the Home Secretary (s.55(6)). The on-time record counts them as statutory.
- Fire reports: no statutory duty to comment. The Fire and Rescue National Framework expects
  a published, kept-current action plan; the office may set itself a local response target.

Everything else asks this module rather than comparing a service with "police" or "fire":

    rules = services.of(inspection)          # or services.for_service("fire")
    rules.chief_title                        # "chief constable" / "chief fire officer"
    rules.words("The chief constable's comments")   # the same text in this service's words
    rules.statutory_deadline                 # s.55(5A): 56 days, else the local target
    rules.onward_copies                      # s.55(6) copies are recorded
    services.keys(onward_copies=True)        # service keys with a duty, for a query filter

The keys are the values stored in `Inspection.service` and `Publication.service`.
"""

from dataclasses import dataclass

from django.db import models


class Service(models.TextChoices):
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"


@dataclass(frozen=True)
class ServiceRules:
    key: str
    # Words.
    chief_title: str  # who leads the force or service
    response_heading: str  # the statement's heading over the comments
    record_title: str  # the heading of its part of the on-time record
    # Duties (Police Act 1996 s.55 for police; none in law for fire).
    invites_chief_comments: bool  # s.55(4)
    statutory_deadline: bool  # s.55(5A); otherwise the office's local target, if any
    explains_recommendations: bool  # s.55(5B): an explanation for every recommendation
    onward_copies: bool  # s.55(6): copies to HMICFRS and the Home Secretary
    action_plan: bool  # a published action plan (Fire and Rescue National Framework)

    @property
    def label(self) -> str:
        return Service(self.key).label

    def organisation(self, office) -> str:
        """The office's name for its force or service (OfficeSettings holds both)."""
        return office.force_name if self.key == Service.POLICE else office.fire_service_name

    def duties(self) -> list[str]:
        """What the office must do for a report of this service, in words for staff pages."""
        if self.statutory_deadline:
            duties = [
                self.words("Invite the chief constable's comments (Police Act 1996 s.55(4)).")
                if self.invites_chief_comments
                else "",
                "Publish the commissioner's comments within 56 days, counting the day of the "
                "report as day 1 (s.55(5A)).",
            ]
        else:
            duties = [
                "No statutory duty to comment: the office's local target applies, if it has set "
                "one."
            ]
        if self.explains_recommendations:
            duties.append(
                "Explain the action taken or proposed on every recommendation, or why none is "
                "taken (s.55(5B))."
            )
        if self.onward_copies:
            duties.append(
                "Send copies of the published comments to HMICFRS and the Home Secretary (s.55(6))."
            )
        if self.action_plan:
            duties.append(
                "Publish an action plan and keep it up to date (Fire and Rescue "
                "National Framework)."
            )
        return [duty for duty in duties if duty]

    def words(self, text: str) -> str:
        """`text`, written for a police report, in this service's words."""
        return text.replace("chief constable", self.chief_title).replace(
            "Chief constable", self.chief_title[:1].upper() + self.chief_title[1:]
        )


POLICE = ServiceRules(
    key=Service.POLICE,
    chief_title="chief constable",
    response_heading="PFCC & Constabulary Response to Report and Recommendations",
    record_title="Police reports: the statutory 56 days (Police Act 1996 s.55(5A))",
    invites_chief_comments=True,
    statutory_deadline=True,
    explains_recommendations=True,
    onward_copies=True,
    action_plan=False,
)
FIRE = ServiceRules(
    key=Service.FIRE,
    chief_title="chief fire officer",
    response_heading="PFCC & Fire and Rescue Service Response to Report and Recommendations",
    record_title="Fire and rescue reports: the office's local target (no statutory deadline)",
    invites_chief_comments=False,
    statutory_deadline=False,
    explains_recommendations=False,
    onward_copies=False,
    action_plan=True,
)
ALL = (POLICE, FIRE)
_BY_KEY = {rules.key: rules for rules in ALL}


def for_service(key: str) -> ServiceRules:
    """The rules of the service stored as `key`; KeyError for anything else."""
    return _BY_KEY[key]


def of(record) -> ServiceRules:
    """The rules of anything with a `service` field: an inspection or a publication."""
    return for_service(record.service)


def keys(**duties: bool) -> list[str]:
    """The keys of the services whose rules have each of `duties`, e.g. onward_copies=True."""
    return [rules.key for rules in ALL if all(getattr(rules, d) == v for d, v in duties.items())]
