"""The shipped questionnaire of the annual HSE report as version 1, in force for every year on
record (a later version is loaded with `manage.py load_annual_questionnaire`)."""

import json
from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "questionnaire_default.json"
FIRST_YEAR_EVER = 2000


def load_shipped(apps, schema_editor):
    questionnaire = apps.get_model("annual", "Questionnaire")
    if questionnaire.objects.exists():
        return
    definition = json.loads(SHIPPED.read_text(encoding="utf-8"))
    questionnaire.objects.create(version=1, first_year=FIRST_YEAR_EVER,
                                 name_nb=definition["name"]["nb"], name_en=definition["name"]["en"],
                                 definition=definition)


class Migration(migrations.Migration):

    dependencies = [("annual", "0001_questionnaire")]

    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
