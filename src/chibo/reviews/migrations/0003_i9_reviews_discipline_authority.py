"""Issue 9, item 6: a discipline record names the level that decided it (R3.19) instead of free
text. Existing rows get the level their text names; where that level may not decide the
recorded form (a cell "expelling" a member), the lowest level that may decide it. The old text is
kept as the name of the deciding body. A discipline also records the day an appeal was lodged
(R3.19: within the appeal period)."""

from django.db import migrations, models

# The central rule discipline.authority when this migration was written (a data migration
# imports no app code): the lowest level that may decide each form.
LOWEST_LEVEL_FOR_FORM = {
    "reprimand": "cell",
    "warning": "cell",
    "dismissal_from_post": "grassroots_committee",
    "expulsion": "upper_committee",
}
FORMS_OF_LEVEL = {
    "cell": {"reprimand", "warning"},
    "cell_committee": set(),
    "grassroots_committee": {"reprimand", "warning", "dismissal_from_post"},
    "upper_committee": {"reprimand", "warning", "dismissal_from_post", "expulsion"},
    "inspection_committee": {"reprimand", "warning", "dismissal_from_post", "expulsion"},
}
# Words that name a level in a body's name, the most specific first.
NAMES = [
    ("ủy ban kiểm tra", "inspection_committee"),
    ("ubkt", "inspection_committee"),
    ("chi ủy", "cell_committee"),
    ("chi bộ", "cell"),
    ("đảng ủy", "grassroots_committee"),
    ("đảng bộ", "grassroots_committee"),
    ("huyện ủy", "upper_committee"),
    ("quận ủy", "upper_committee"),
    ("thị ủy", "upper_committee"),
    ("thành ủy", "upper_committee"),
    ("tỉnh ủy", "upper_committee"),
    ("ban thường vụ", "upper_committee"),
]


def level_for(decided_by: str, form: str) -> str:
    text = decided_by.lower()
    level = next((level for word, level in NAMES if word in text), None)
    if level is None or form not in FORMS_OF_LEVEL[level]:
        return LOWEST_LEVEL_FOR_FORM.get(form, "upper_committee")
    return level


def name_levels(apps, schema_editor):
    Discipline = apps.get_model("reviews", "Discipline")
    rows = list(Discipline.objects.all())
    for row in rows:
        row.authority = level_for(row.decided_by, row.form)
    Discipline.objects.bulk_update(rows, ["authority"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_member_review_points"),
    ]

    operations = [
        migrations.AddField(
            model_name="discipline",
            name="authority",
            field=models.CharField(
                choices=[
                    ("cell", "The member's cell"),
                    ("cell_committee", "The cell committee"),
                    ("grassroots_committee", "The grassroots party committee"),
                    ("upper_committee", "An upper-level party committee"),
                    ("inspection_committee", "An inspection committee"),
                ],
                default="cell",
                help_text=(
                    "The cell may reprimand or warn its members; breaches of tasks given by "
                    "upper levels go to the competent level; the cell committee has no "
                    "disciplinary power (QĐ 296-QĐ/TW)."
                ),
                max_length=24,
                verbose_name="decided by (level)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="discipline",
            name="upper_task",
            field=models.BooleanField(
                default=False,
                help_text="Such a breach goes to the competent upper level, not to the cell.",
                verbose_name="breach of a task given by an upper level",
            ),
        ),
        migrations.AlterField(
            model_name="discipline",
            name="decided_by",
            field=models.CharField(
                blank=True,
                help_text="For a decision above the cell, e.g. the district committee's name.",
                max_length=200,
                verbose_name="name of the deciding body",
            ),
        ),
        migrations.AlterField(
            model_name="discipline",
            name="reason",
            field=models.TextField(
                help_text=(
                    "The decision takes effect when the cell announces the vote result; the "
                    "member may appeal within the period the rule in force sets."
                ),
                verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="discipline",
            name="appeal_lodged_on",
            field=models.DateField(blank=True, null=True, verbose_name="appeal lodged on"),
        ),
        migrations.RunPython(name_levels, migrations.RunPython.noop),
    ]
