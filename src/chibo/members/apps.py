from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "chibo.members"
    label = "members"

    def ready(self) -> None:
        # The members' background exports (core.exports.jobs).
        from chibo.members import export_jobs

        export_jobs.register()
        # Large imports run as core.exports.jobs tasks (issue 14).
        from chibo.members.imports import jobs as import_jobs

        import_jobs.register()
