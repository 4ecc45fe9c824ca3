from django.apps import AppConfig


class DirectivesConfig(AppConfig):
    name = "chibo.directives"
    label = "directives"
