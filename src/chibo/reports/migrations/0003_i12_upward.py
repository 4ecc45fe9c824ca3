from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_i12_rollups")]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="notes",
            field=models.TextField(blank=True, verbose_name="assessment and next steps"),
        ),
    ]
