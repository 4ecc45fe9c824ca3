from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "chibo.followup"
    label = "followup"
