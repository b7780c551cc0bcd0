from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0004_contract_signatures_from_columns"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="contract",
            name="buyer_signed_at",
        ),
        migrations.RemoveField(
            model_name="contract",
            name="buyer_signed_by",
        ),
        migrations.RemoveField(
            model_name="contract",
            name="supplier_signed_at",
        ),
        migrations.RemoveField(
            model_name="contract",
            name="supplier_signed_by",
        ),
    ]
