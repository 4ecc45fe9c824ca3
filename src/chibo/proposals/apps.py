from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "chibo.proposals"
    label = "proposals"
