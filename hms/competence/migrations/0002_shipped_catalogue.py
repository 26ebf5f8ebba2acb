from django.db import migrations


def load(apps, schema_editor):
    from hms.competence.catalogue import load_catalogue

    load_catalogue(apps.get_model("competence", "Course"),
                   apps.get_model("competence", "Requirement"),
                   apps.get_model("governance", "DelegationTask"))


class Migration(migrations.Migration):
    dependencies = [("competence", "0001_initial"), ("governance", "0002_shipped_tasks")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
