"""The office's roles, as groups of permissions. A user may hold several."""

DRAFTER = "Drafter"
REVIEWER = "Reviewer"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"

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
    ],
    REVIEWER: [
        "inspections.view_inspection",
        "inspections.view_finding",
        "inspections.view_gradedarea",
        "responses.view_response",
        "responses.view_findingresponse",
        "responses.review_response",
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
    ],
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
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
