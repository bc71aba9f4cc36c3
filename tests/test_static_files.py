"""Static files (issue 16): gzip when asked, cached a year, URLs carry the content's hash."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import survey

STATIC = Path(survey.__file__).parent / "static"


def test_every_script_and_style_sheet_has_an_up_to_date_gzip_copy() -> None:
    files = sorted(p for p in STATIC.rglob("*") if p.suffix in (".js", ".css"))
    assert STATIC / "js" / "plotly.min.js" in files
    stale = [
        str(p.relative_to(STATIC))
        for p in files
        if not p.with_name(p.name + ".gz").exists()
        or gzip.decompress(p.with_name(p.name + ".gz").read_bytes()) != p.read_bytes()
    ]
    assert stale == [], "run: python -m whitenoise.compress --no-brotli survey/static"


def test_plotly_is_sent_compressed_with_a_year_of_caching(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css)\?v=([0-9a-f]{12})"', page)
    assert css is not None
    original = (STATIC / "css" / "app.css").read_bytes()
    assert css.group(2) == hashlib.sha256(original).hexdigest()[:12]

    response = client.get("/static/js/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    plotly = (STATIC / "js" / "plotly.min.js").read_bytes()
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_data()
    assert len(body) < len(plotly) / 3
    assert gzip.decompress(body) == plotly
    response.close()


def test_a_browser_without_gzip_gets_the_plain_file(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/static/css/app.css", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "css" / "app.css").read_bytes()
    response.close()
