from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "chibo.notify"
    label = "notify"
