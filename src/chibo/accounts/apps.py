from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chibo.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Two-factor (issue 14): the grace period starts at login.
        from chibo.accounts import middleware_twofactor

        middleware_twofactor.connect()
