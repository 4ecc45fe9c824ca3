"""The one exception services raise for a refused action. Its message is a translated,
user-facing sentence; views show it and nothing is changed (the service's transaction rolls
back)."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    pass
