"""Django's `changepassword`, which also marks the password as set by someone else in
production (accounts.services.password_set_by_other): whoever runs it on the server chose the
password, so its owner must choose their own at the next login. This command takes the place of
django.contrib.auth's because chibo.accounts comes before it in INSTALLED_APPS."""

import getpass

from django.contrib.auth.management.commands import changepassword

from chibo.accounts import services
from chibo.accounts.models import User


class Command(changepassword.Command):
    def handle(self, *args, **options):
        result = super().handle(*args, **options)
        username = options["username"] or getpass.getuser()
        user = User.objects.using(options["database"]).get(username=username)
        services.password_set_by_other(user=user)
        return result
