"""A mail server that is down, for the tests of what happens then."""

from django.core.mail.backends.base import BaseEmailBackend

FAILING_MAILERS = {"default": {"BACKEND": "tests.mail_helpers.FailingBackend"}}
WORKING_MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")
