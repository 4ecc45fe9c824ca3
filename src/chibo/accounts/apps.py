from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chibo.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Two-factor (issue 14): the grace period starts at login.
        from chibo.accounts import middleware_twofactor

        middleware_twofactor.connect()
        # The session timeouts count from the login (accounts.middleware).
        from django.contrib.auth.signals import user_logged_in

        from chibo.accounts.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="chibo.session_clock")
