from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_i12_partitions")]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="notes",
            field=models.TextField(blank=True, verbose_name="assessment and next steps"),
        ),
    ]
