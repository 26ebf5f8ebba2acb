from django.db import migrations


def load(apps, schema_editor):
    from hms.rounds.checklists import load_templates

    load_templates(apps.get_model("rounds", "ChecklistTemplate"),
                   apps.get_model("rounds", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("rounds", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
