"""Keep the membership class (official / probationary) apart from the activity status
(issue 9, item 1; DOMAIN R2.4). Existing rows get the class from their history: the status
itself when it is a class; else the latest official or probationary event; else official when
recognised (or when no admission ceremony is recorded at all), probationary otherwise."""

from django.db import migrations, models

CLASSES = ("official", "probationary")


def derive_classes(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    MemberEvent = apps.get_model("members", "MemberEvent")
    latest: dict[int, str] = {}
    events = (
        MemberEvent.objects.filter(status__in=CLASSES)
        .order_by("member_id", "effective_date", "id")
        .values_list("member_id", "status")
    )
    for member_id, status in events.iterator():
        latest[member_id] = status  # ordered oldest first: the last one seen wins
    members = Member.objects.only("pk", "status", "official_date", "ceremony_date")
    by_class: dict[str, list[int]] = {value: [] for value in CLASSES}
    for member in members.iterator():
        if member.status in CLASSES:
            value = member.status
        elif member.pk in latest:
            value = latest[member.pk]
        elif member.official_date or not member.ceremony_date:
            value = "official"
        else:
            value = "probationary"
        by_class[value].append(member.pk)
    for value, pks in by_class.items():
        for start in range(0, len(pks), 500):
            Member.objects.filter(pk__in=pks[start : start + 500]).update(membership_class=value)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_member_event_grounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="membership_class",
            field=models.CharField(
                choices=[("probationary", "Probationary"), ("official", "Official")],
                db_index=True,
                default="official",
                max_length=16,
                verbose_name="membership class",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(derive_classes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("membership_class__in", ["probationary", "official"]),
                    models.Q(
                        models.Q(("status", "official"), _negated=True),
                        ("membership_class", "official"),
                        _connector="OR",
                    ),
                    models.Q(
                        models.Q(("status", "probationary"), _negated=True),
                        ("membership_class", "probationary"),
                        _connector="OR",
                    ),
                ),
                name="member_class_agrees_with_status",
            ),
        ),
    ]
