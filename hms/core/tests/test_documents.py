"""PDFs fetch nothing: not a local file, not an address on the network; inline images work."""

from __future__ import annotations

import base64
import io

from django.test import override_settings

from hms.core.documents import render_pdf


def _pdf_of(tmp_path, html):
    (tmp_path / "probe.html").write_text(html, encoding="utf-8")
    templates = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
                  "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=templates):
        return render_pdf("probe.html", {})


def test_a_pdf_fetches_no_file_and_no_url_but_shows_an_inline_image(tmp_path):
    from PIL import Image

    secret = tmp_path / "secret.png"
    Image.new("RGB", (30, 30), (0, 0, 0)).save(secret)
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (200, 0, 0)).save(out, format="PNG")
    inline = base64.b64encode(out.getvalue()).decode()
    fetched = _pdf_of(tmp_path, f'<img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
                                f'<p>text</p>')
    shown = _pdf_of(tmp_path, f'<img src="data:image/png;base64,{inline}"><p>text</p>')
    assert _images(fetched) == 0
    assert _images(shown) == 1


def _images(pdf: bytes) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)
