from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A login. Scope never comes from the user itself but from the positions of the member
    linked to it (members.Member.user); `is_superuser` marks a system administrator."""

    class Meta:
        db_table = "accounts_user"
