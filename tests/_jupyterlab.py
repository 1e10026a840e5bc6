"""Start a throwaway JupyterLab server and drive it in headless Chromium (Playwright).

Used by ``tests/test_browser.py``. Everything the server and the kernels write
(config, settings, workspaces, runtime files, IPython and matplotlib caches) goes
into a private folder; the virtual environment is not modified. See
``/work/shared/notes/jupyterlab-browser-test.md`` for the measured facts behind
the choices here (flags, selectors, waits).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
#: How to get it (Debian's package; Playwright drives it, nothing is downloaded).
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium"
#: Start of the skip reason when Chromium or Playwright is missing (conftest prints a banner).
BROWSER_SKIP_MARK = "BROWSER TESTS SKIPPED"
#: The kernel the notebooks are executed and saved with (scripts/run_notebooks.py, Makefile).
KERNEL_NAME = "kdwars"
#: The configuration `make lab` starts JupyterLab with (a pre-save hook that keeps
#: notebooks' metadata machine-independent); the test server uses the same.
LAB_CONFIG = Path(__file__).resolve().parents[1] / "scripts" / "jupyter_lab_config.py"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Lab settings written into the private user-settings folder before the server starts.
USER_SETTINGS = {
    # No news / update-check toast over the notebook (and no request to the internet).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Attach every cell to the DOM, so that offscreen cells and images exist and paint
    # in a full-length screenshot (the default "contentVisibility" skips offscreen ones).
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "scrollPastEnd": False},
}

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


@dataclass
class LabServer:
    """A running ``jupyter lab`` process serving ``root_dir``."""

    root_dir: Path
    home: Path
    port: int
    token: str
    proc: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False, default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 10) -> object:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url(path),
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw.strip() else None

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        return "\n".join(lines[-n:])

    def shutdown_sessions(self) -> None:
        """Delete every session (and so stop its kernel); errors are ignored."""
        try:
            for s in self.api("GET", "api/sessions") or []:
                self.api("DELETE", f"api/sessions/{s['id']}")
        except (OSError, urllib.error.URLError, ValueError):
            pass

    def stop(self) -> None:
        """POST /api/shutdown (stops the kernels too), then end the server's own process."""
        if self.proc.poll() is None:
            try:
                self.api("POST", "api/shutdown", timeout=5)
            except (OSError, urllib.error.URLError, ValueError):
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)


def _private_env(home: Path) -> dict[str, str]:
    """Environment for the server and its kernels: every per-user folder inside ``home``."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # with MPLBACKEND=Agg the kernel would show no figures
    env.pop("JUPYTER_TOKEN", None)
    dirs = {
        "HOME": home,
        "JUPYTER_CONFIG_DIR": home / "jupyter-config",
        "JUPYTER_DATA_DIR": home / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": home / "jupyter-runtime",
        "IPYTHONDIR": home / "ipython",
        "MPLCONFIGDIR": home / "matplotlib",
        "XDG_CACHE_HOME": home / "cache",
        "XDG_CONFIG_HOME": home / "config",
        "XDG_DATA_HOME": home / "local-share",
        "KDWARS_FIGURES_DIR": home / "figures",  # save_figure() must not write into the repository
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    # The venv's kernelspec "kdwars" (installed with --sys-prefix) lives here;
    # JUPYTER_DATA_DIR now points elsewhere, so name it explicitly.
    venv_share = str(Path(sys.prefix) / "share" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join([venv_share, *filter(None, [os.environ.get("JUPYTER_PATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _write_user_settings(settings_dir: Path) -> None:
    for plugin, values in USER_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def start_lab(root_dir: Path, home: Path, timeout: float = 60) -> LabServer:
    """Start ``jupyter lab`` on a free port of 127.0.0.1 and wait until /api/status answers."""
    env = _private_env(home)
    settings_dir = home / "lab-user-settings"
    workspaces_dir = home / "lab-workspaces"
    _write_user_settings(settings_dir)
    workspaces_dir.mkdir(parents=True, exist_ok=True)

    # Build matplotlib's font cache now: a fresh MPLCONFIGDIR otherwise makes the first
    # `import matplotlib` in a kernel print "Matplotlib is building the font cache" to stderr.
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=env, check=True, capture_output=True, timeout=300,
    )

    token = secrets.token_hex(24)
    env["JUPYTER_TOKEN"] = token
    port = free_port()
    log_path = home / "jupyterlab.log"
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--allow-root",
        f"--config={LAB_CONFIG}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.terminals_enabled=False",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={workspaces_dir}",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = LabServer(root_dir, home, port, token, proc, log_path, env)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with status {proc.returncode}:\n{server.log_tail()}"
                )
            try:
                status = server.api("GET", "api/status", timeout=2)
                if isinstance(status, dict) and "started" in status:
                    return server
            except (OSError, urllib.error.URLError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"jupyter lab did not answer /api/status within {timeout:.0f} s:\n{server.log_tail()}"
                )
            time.sleep(0.25)
    except BaseException:
        server.stop()
        raise


def copy_notebooks(src: Path, dst: Path, extra: list[Path] = ()) -> Path:
    """Copy the notebooks folder (without checkpoints) plus ``extra`` notebooks into ``dst``."""
    if src.is_dir():
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    else:
        dst.mkdir(parents=True)
    for path in extra:
        shutil.copy2(path, dst / path.name)
    return dst


# ---------------------------------------------------------------- in the page

# State of the notebook in the current tab: DOM (what the user sees) and model
# (via window.jupyterapp, which --LabApp.expose_app_in_browser provides).
JS_STATE = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const app = window.jupyterapp;
  const widget = app && app.shell ? app.shell.currentWidget : null;
  const prompts = panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim()) : [];
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const statusItems = [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
    .map(e => e.textContent.trim());
  const kernelStatus = statusItems.find(t => / \| /.test(t)) || '';
  const imgs = panel ? [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="image/png"] img')] : [];
  let model = null, kernel = null;
  if (widget && widget.content && widget.content.model && widget.context) {
    model = widget.context.model.toJSON();
    const session = widget.sessionContext && widget.sessionContext.session;
    if (session && session.kernel) {
      kernel = {name: session.kernel.name, status: session.kernel.status,
                display: widget.sessionContext.kernelDisplayName};
    }
  }
  return {
    hasPanel: !!panel,
    path: widget && widget.context ? widget.context.path : null,
    nCells: panel ? panel.querySelectorAll('.jp-Notebook .jp-Cell').length : 0,
    prompts,
    nOutputs: panel ? panel.querySelectorAll('.jp-OutputArea-output').length : 0,
    indicator: indicator ? indicator.getAttribute('data-status') : null,
    kernelStatus,
    nImages: imgs.length,
    nImagesLoaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText.trim().slice(0, 500)),
    toasts: [...document.querySelectorAll('.Toastify__toast')].map(d => d.innerText.trim().slice(0, 300)),
    model,
    kernel,
  };
}
"""

# True when the kernel is up and idle and the UI says so (the indicator alone reads
# idle before any kernel exists, hence the status bar "<kernel> | Idle" as well).
JS_KERNEL_IDLE = r"""
() => {
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const items = [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
    .map(e => e.textContent.trim());
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(ind && ind.getAttribute('data-status') === 'idle'
            && items.some(t => /^\S.* \| Idle$/.test(t) && !/^No Kernel/.test(t))
            && k && k.status === 'idle');
}
"""

# True once a "Run All" has finished: all cells on screen, nothing running, kernel
# idle, and every non-empty code cell numbered, or an error shown (Run All stops there).
JS_RUN_FINISHED = r"""
(nCells) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  if (cells.length !== nCells) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());
  if (prompts.some(t => t.includes('*'))) return false;
  if (!(%s)()) return false;
  const w = window.jupyterapp.shell.currentWidget;
  const cellsJson = w.context.model.toJSON().cells;
  const errored = cellsJson.some(c => (c.outputs || []).some(o => o.output_type === 'error'));
  const code = cellsJson.filter(c => c.cell_type === 'code'
      && (Array.isArray(c.source) ? c.source.join('') : c.source).trim() !== '');
  return errored || code.every(c => Number.isInteger(c.execution_count));
}
""".replace("%s", JS_KERNEL_IDLE.strip())


def source_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def count_image_outputs(nb: dict) -> int:
    return sum(
        1
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    )


def bad_outputs(nb: dict) -> list[str]:
    """Error outputs and stderr streams of a notebook (nbformat JSON), as readable text."""
    problems = []
    for i, c in enumerate(nb.get("cells", [])):
        for o in c.get("outputs", []) if c.get("cell_type") == "code" else []:
            if o.get("output_type") == "error":
                tb = strip_ansi("\n".join(o.get("traceback", [])))
                problems.append(f"cell {i}: {o.get('ename')}: {o.get('evalue')}\n{tb[-2000:]}")
            elif o.get("output_type") == "stream" and o.get("name") == "stderr":
                text = o.get("text", "")
                text = "".join(text) if isinstance(text, list) else text
                problems.append(f"cell {i}: stderr: {strip_ansi(text)[:2000]}")
    return problems
