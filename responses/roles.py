"""The office's roles, as groups of permissions. A user may hold several.

Force contributors work for the force or the fire service, not the office: their one
permission opens the force's own pages (/force/, responses.force_views) and nothing else, and
which service they work for is set per person (inspections.models.ForceContributor).
"""

DRAFTER = "Drafter"
REVIEWER = "Reviewer"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"
FORCE_CONTRIBUTOR = "Force contributor"

# Permission codenames as "app_label.codename", per role.
ROLE_PERMISSIONS = {
    DRAFTER: [
        "inspections.view_inspection",
        "inspections.add_inspection",
        "inspections.change_inspection",
        "inspections.view_finding",
        "inspections.add_finding",
        "inspections.change_finding",
        "inspections.delete_finding",
        "inspections.view_gradedarea",
        "inspections.add_gradedarea",
        "inspections.change_gradedarea",
        "inspections.delete_gradedarea",
        "responses.view_response",
        "responses.add_response",
        "responses.change_response",
        "responses.view_findingresponse",
        "responses.change_findingresponse",
        "responses.view_comment",
        "responses.change_comment",
    ],
    REVIEWER: [
        "inspections.view_inspection",
        "inspections.view_finding",
        "inspections.view_gradedarea",
        "responses.view_response",
        "responses.view_findingresponse",
        "responses.review_response",
        "responses.view_comment",
        "responses.add_comment",
        "responses.change_comment",
        # Assurer: accepts or returns the progress the force submits.
        "inspections.assure_progress",
    ],
    PUBLISHER: [
        "inspections.view_inspection",
        "inspections.view_finding",
        "inspections.view_gradedarea",
        "responses.view_response",
        "responses.view_findingresponse",
        "responses.publish_response",
    ],
    ADMINISTRATOR: [
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "inspections.view_officesettings",
        "inspections.change_officesettings",
        "pfcc.view_signinrecord",
        "pfcc.view_organisationaccount",
        "inspections.view_forcecontributor",
        "inspections.add_forcecontributor",
        "inspections.change_forcecontributor",
        "inspections.delete_forcecontributor",
    ],
    FORCE_CONTRIBUTOR: ["inspections.contribute_as_force"],
}


def sync_roles(apps) -> None:
    """Creates the role groups with exactly their permissions. Safe to run again."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        # An earlier migration runs with today's list before later models exist: it grants
        # what exists then, and the migration that adds a model runs this again.
        # tests/responses/test_roles.py checks that every listed permission is granted.
        group.permissions.set([existing[code] for code in codes if code in existing])
