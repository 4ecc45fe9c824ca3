from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chibo.reports"
    label = "reports"
