from django.db import migrations


def load(apps, schema_editor):
    from hms.governance.catalogue import load_tasks

    load_tasks(apps.get_model("governance", "DelegationTask"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
