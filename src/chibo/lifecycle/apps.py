from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "chibo.lifecycle"
    label = "lifecycle"
