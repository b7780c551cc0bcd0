from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_every_token_expires"),
    ]

    operations = [
        migrations.AlterField(
            model_name="personalaccesstoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
