import re
from pathlib import Path

import pytest
from django.conf import settings

from inspections import services
from inspections.models import Service


def test_there_are_rules_for_every_service_stored():
    assert [rules.key for rules in services.ALL] == Service.values
    assert services.for_service("police") is services.POLICE
    assert services.for_service("fire") is services.FIRE


def test_section_55_binds_police_reports_only():
    assert services.keys(statutory_deadline=True) == ["police"]
    assert services.keys(onward_copies=True) == ["police"]
    assert services.keys(explains_recommendations=True) == ["police"]
    assert services.keys(invites_chief_comments=True) == ["police"]
    assert services.keys(action_plan=True) == ["fire"]


def test_each_service_says_its_own_duties():
    police = " ".join(services.POLICE.duties())
    for section in ("s.55(4)", "s.55(5A)", "s.55(5B)", "s.55(6)"):
        assert section in police
    fire = " ".join(services.FIRE.duties())
    assert "s.55" not in fire
    assert "local target" in fire and "action plan" in fire


def test_each_service_puts_police_wording_in_its_own_words():
    assert services.FIRE.words("The chief constable's comments") == (
        "The chief fire officer's comments"
    )
    assert services.FIRE.words("Chief constable asked on") == "Chief fire officer asked on"
    assert services.POLICE.words("The chief constable's comments") == (
        "The chief constable's comments"
    )


# Deciding by comparing a service with a literal, anywhere but the one module, lets the rules
# drift apart; grouping by `rules.key` is how the others ask it.
COMPARISON = re.compile(
    r"""\bservice\s*(?:==|!=)(?!\s*rules\.key)|(?:==|!=)\s*(?:Service\.|["'](?:police|fire)["'])"""
)


@pytest.mark.parametrize("folder", ["inspections", "responses", "pfcc", "templates"])
def test_only_the_services_module_tells_police_from_fire(folder):
    offenders = []
    for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
        if path.suffix not in (".py", ".html") or path.name == "services.py":
            continue
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if COMPARISON.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert offenders == []
