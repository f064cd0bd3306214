"""collectstatic with the production storage, served by whitenoise from gunicorn."""

import gzip
import json
import re
import urllib.request
from pathlib import Path

import pytest

from forum.tests.system.processes import HttpClient, app_env, shell

pytestmark = pytest.mark.system(needs=[])


def test_collectstatic_writes_hashed_and_compressed_files(static_root):
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    assert (Path(static_root) / hashed).is_file()
    assert (Path(static_root) / f"{hashed}.gz").is_file()


def test_gunicorn_serves_hashed_static_files_with_long_caching(static_root, start_app, tmp_path):
    env = app_env(static_root=static_root, SQLITE_PATH=str(tmp_path / "static.sqlite3"))
    shell(env, "print('migrated')", migrate=True)
    app = start_app(env, workers=1)

    home = HttpClient().get(app.url("/"))
    assert home.status == 200
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text).group(1)

    request = urllib.request.Request(app.url(css), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        assert b"--brand" in gzip.decompress(response.read())
    assert HttpClient().get(app.url("/static/css/site.css")).status == 200  # unhashed still works
