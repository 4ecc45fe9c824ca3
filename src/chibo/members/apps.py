from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "chibo.members"
    label = "members"

    def ready(self) -> None:
        # The members' background exports (core.exports.jobs).
        from chibo.members import export_jobs

        export_jobs.register()
