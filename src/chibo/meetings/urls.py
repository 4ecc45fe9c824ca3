"""Meeting pages. Each part of the meeting's life has its own view module and route list."""

from chibo.meetings.urls_documents import urlpatterns as document_patterns
from chibo.meetings.urls_live import urlpatterns as live_patterns
from chibo.meetings.urls_outward import urlpatterns as outward_patterns
from chibo.meetings.urls_schedule import urlpatterns as schedule_patterns

app_name = "meetings"

urlpatterns = [*schedule_patterns, *live_patterns, *document_patterns, *outward_patterns]
