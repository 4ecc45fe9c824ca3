from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "chibo.residence"
    label = "residence"
