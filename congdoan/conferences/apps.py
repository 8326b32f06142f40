from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "congdoan.conferences"
    label = "conferences"
    verbose_name = "Hội nghị người lao động và đối thoại"

    def ready(self) -> None:
        # The computed indicators of conferences and dialogues register themselves on import.
        from . import providers  # noqa: F401
