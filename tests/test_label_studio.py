"""A real Label Studio round trip: `stance label export` → Label Studio (REST API) → `stance label import`.

Needs the ``label-studio`` executable (on PATH, or named by the LABEL_STUDIO_BIN environment
variable), e.g. ``python3.11 -m venv /tmp/lsvenv && /tmp/lsvenv/bin/pip install label-studio``;
skipped without it. The server runs on a free loopback port with its data in a temporary folder.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from typer.testing import CliRunner

from stance.annotation.labels import read_rows
from stance.cli import app
from stance.schema import TASKS

EXECUTABLE = os.environ.get("LABEL_STUDIO_BIN") or shutil.which("label-studio")
TOKEN = "5cd6b3e1f0a94c2d8e7b6a5f4e3d2c1b0a998877"
ARTICLES = {"alpha": "Tribune\nOpenAI a trahi sa mission, dit Musk. Le procès aura lieu au printemps 2026."}

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow,
              pytest.mark.skipif(not EXECUTABLE, reason="the label-studio executable is absent (pip install label-studio, "
                                                        "or set LABEL_STUDIO_BIN)")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Label Studio's REST API on a loopback port, with a legacy token."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method: str, path: str, body=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode("utf-8"),
                                         headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def wait(self, process, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert process.poll() is None, "label-studio exited while starting"
            try:
                urllib.request.urlopen(self.base + "/health", timeout=5)
                return
            except OSError:
                time.sleep(1)
        pytest.fail(f"label-studio did not answer on {self.base} within {seconds} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    data = tmp_path / "label-studio"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true"}
    with open(tmp_path / "label-studio.log", "w") as log:
        process = subprocess.Popen([EXECUTABLE, "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
                                    "--data-dir", str(data), "--username", "ann@example.org", "--password", "stance-test",
                                    "--user-token", TOKEN, "--enable-legacy-api-token"],
                                   cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        api = Server(port)
        api.wait(process)
        yield api
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_export_label_in_label_studio_import(server, tiny_model, label_dir, tmp_path):
    runner = CliRunner()
    for name, text in ARTICLES.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "tasks.json"
    exported = runner.invoke(app, ["label", "export", str(tmp_path / "alpha.txt"), "-m", str(tiny_model), "-o", str(out)])
    assert exported.exit_code == 0, exported.output

    config = (tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8")
    project = server.call("POST", "/api/projects", {"title": "stance", "label_config": config})["id"]
    sent = json.loads(out.read_text(encoding="utf-8"))
    server.call("POST", f"/api/projects/{project}/import", sent)
    tasks = server.call("GET", f"/api/tasks?project={project}&page_size=100")["tasks"]
    tasks.sort(key=lambda task: task["data"]["sentence"])
    assert len(tasks) == len(sent)
    suggested = {task["data"]["sentence"]: task["predictions"][0]["result"] for task in sent}
    first_stance = None
    for task in tasks:  # the annotator accepts each suggestion, but changes the first sentence's stance
        result = [{k: v for k, v in r.items() if k in ("from_name", "to_name", "type", "value")}
                  for r in suggested[task["data"]["sentence"]]]
        if first_stance is None:
            first_stance = next(s for s in TASKS["stance"] if s != result[0]["value"]["choices"][0])
            result[0]["value"] = {"choices": [first_stance]}
        server.call("POST", f"/api/tasks/{task['id']}/annotations", {"result": result})

    back = tmp_path / "from_label_studio.json"
    back.write_text(json.dumps(server.call("GET", f"/api/projects/{project}/export?exportType=JSON")), encoding="utf-8")
    imported = runner.invoke(app, ["label", "import", str(back), "--labels", str(label_dir), "--annotator", "ls"])
    assert imported.exit_code == 0, imported.output
    assert f"Imported {len(tasks)} new labels" in imported.stderr
    gold = read_rows(label_dir / "gold" / "alpha.csv")
    assert gold[0]["stance"] == first_stance and {r["provenance"] for r in gold} == {"imported"}
    assert [r["text"] for r in gold] == [t["data"]["text"] for t in tasks]
