from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chibo.reports"
    label = "reports"

    def ready(self) -> None:
        # The rollups follow every change to a cell's meetings (core.signals).
        from chibo.reports import rollups

        rollups.connect()
