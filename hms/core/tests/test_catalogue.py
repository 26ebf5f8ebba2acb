from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import translation

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "check_catalogue.py"
spec = importlib.util.spec_from_file_location("check_catalogue", SCRIPT)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)

HEADER = 'msgid ""\nmsgstr ""\n"Language: nb\\n"\n\n'


def test_the_checker_finds_empty_multiline_plural_and_fuzzy_entries():
    sample = HEADER + (
        'msgid "Yes"\nmsgstr "Ja"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n\n'
        'msgid "One"\nmsgid_plural "Many"\nmsgstr[0] "En"\nmsgstr[1] ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Gjetning"\n'
    )
    found = checker.problems(sample)
    assert len(found) == 4, found
    assert checker.problems(HEADER + 'msgid ""\n"Two"\nmsgstr ""\n"To"\n') == []


def test_a_text_of_the_code_that_the_catalogue_lacks_is_found(tmp_path):
    shutil.copytree(SCRIPT.parent.parent / "hms", tmp_path / "hms",
                    ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(SCRIPT.parent.parent / "manage.py", tmp_path)
    assert checker.left_out(tmp_path) == []
    template = tmp_path / "hms" / "templates" / "core" / "_new_text.html"
    template.write_text('{% load i18n %}{% translate "A text no one has translated yet" %}\n')
    catalogue = tmp_path / checker.CATALOGUE
    catalogue.write_text(catalogue.read_text(encoding="utf-8")
                         + '\nmsgid "A text the code no longer has"\nmsgstr "En tekst koden ikke har"\n',
                         encoding="utf-8")
    assert checker.left_out(tmp_path) == ["not in the catalogue: A text no one has translated yet",
                                          "no longer in the code: A text the code no longer has"]


def test_the_bokmal_catalogue_is_complete_and_active():
    assert checker.problems(checker.PO.read_text(encoding="utf-8")) == []
    with translation.override("nb"):
        assert translation.gettext("My measures") == "Mine tiltak"
