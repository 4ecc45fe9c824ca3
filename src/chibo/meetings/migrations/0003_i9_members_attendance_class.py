"""The roll keeps each member's membership class beside the activity status it saw (issue 9,
items 1 and 17): an exempted probationary member is never a voter (DOMAIN R2.4), and a
suspended member is listed but not called (§9a). Existing rows take the class from their
category when it is a class, else from the member's class; suspended members not called yet
are marked suspended."""

from django.db import migrations, models

CLASSES = ("official", "probationary")


def derive_classes(apps, schema_editor):
    Attendance = apps.get_model("meetings", "Attendance")
    Member = apps.get_model("members", "Member")
    for value in CLASSES:
        Attendance.objects.filter(category=value).update(membership_class=value)
        Attendance.objects.exclude(category__in=CLASSES).filter(
            member__in=Member.objects.filter(membership_class=value)
        ).update(membership_class=value)
    # Suspended members not called yet in an open roll are listed as suspended (§9a).
    Attendance.objects.filter(category="suspended", status="").update(status="suspended")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_i9_minutes_addendum_withdraw"),
        ("members", "0006_i9_members_membership_class"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="membership_class",
            field=models.CharField(
                choices=[("probationary", "Probationary"), ("official", "Official")],
                default="official",
                max_length=16,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(derive_classes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attendance",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("present", "Present"),
                    ("late", "Late"),
                    ("absent_excused", "Absent with reason"),
                    ("absent_unexcused", "Absent without reason"),
                    ("exempt", "Exempted"),
                    ("suspended", "Suspended from activity"),
                ],
                max_length=24,
                verbose_name="attendance",
            ),
        ),
    ]
