"""Headers on every answer: a strict Content-Security-Policy (every script and style is served
from chibo itself) and no caching of what a logged-in user sees."""

from django.utils.cache import patch_cache_control

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class NoStoreForUsersMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in user (pages, partials,
    files): they show personal data, which must stay out of shared and browser caches (a
    shared family phone's back button, a proxy). Static files never reach it (whitenoise
    answers them first). An answer that already says `no-store` (the export kit's files) is
    left as it is; other directives a view set are kept beside these (`public` is dropped)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        already = "no-store" in response.get("Cache-Control", "")
        if user is not None and user.is_authenticated and not already:
            patch_cache_control(response, private=True, no_store=True)
        return response
