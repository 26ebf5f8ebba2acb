from django.db import migrations


def load(apps, schema_editor):
    from hms.deviations.types import load_types

    load_types(apps.get_model("deviations", "DeviationType"))


class Migration(migrations.Migration):
    dependencies = [("deviations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
