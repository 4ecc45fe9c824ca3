"""Template context shared by every page: the unread badge of the inbox in the navigation."""

from django.utils.functional import SimpleLazyObject

from chibo.notify.models import Notification


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # One query, and only when a page shows the badge (htmx partials do not).
    return {"nav_unread": SimpleLazyObject(lambda: unread_count(user))}


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
