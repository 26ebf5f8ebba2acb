"""The shipped catalogue of the 19 points as version 1, in force for every year on record (a
later version is loaded with `manage.py load_points_catalogue`)."""

import json
from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "catalogue_default.json"
FIRST_YEAR_EVER = 2000


def load_shipped(apps, schema_editor):
    catalogue = apps.get_model("points", "PointCatalogue")
    if catalogue.objects.exists():
        return
    definition = json.loads(SHIPPED.read_text(encoding="utf-8"))
    catalogue.objects.create(version=1, first_year=FIRST_YEAR_EVER, name_nb=definition["name"]["nb"],
                             name_en=definition["name"]["en"], definition=definition)


class Migration(migrations.Migration):

    dependencies = [("points", "0001_catalogue")]

    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
