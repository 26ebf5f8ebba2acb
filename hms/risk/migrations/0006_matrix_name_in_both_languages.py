"""The risk matrix's name in bokmål and English: the old name becomes the English one, and the
bokmål one starts as a copy of it (a saved version keeps the name it was loaded with)."""

from django.db import migrations, models
from django.db.models import F


def copy_name(apps, schema_editor):
    apps.get_model("risk", "RiskMatrix").objects.update(name_nb=F("name_en"))


class Migration(migrations.Migration):

    dependencies = [
        ('risk', '0005_row_colour_index'),
    ]

    operations = [
        migrations.RenameField(
            model_name='riskmatrix',
            old_name='name',
            new_name='name_en',
        ),
        migrations.AlterField(
            model_name='riskmatrix',
            name='name_en',
            field=models.CharField(max_length=200, verbose_name='name (English)'),
        ),
        migrations.AddField(
            model_name='riskmatrix',
            name='name_nb',
            field=models.CharField(default='', max_length=200, verbose_name='name (bokmål)'),
            preserve_default=False,
        ),
        migrations.RunPython(copy_name, migrations.RunPython.noop),
    ]
