from django.apps import AppConfig


class PfccConfig(AppConfig):
    name = "pfcc"
    verbose_name = "Signing in"
