from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "Responses"

    def ready(self):
        # Emails about the force's progress answer inspections.tracking's signals.
        from responses import notifications  # noqa: F401
