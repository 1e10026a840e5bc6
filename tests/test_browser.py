"""The notebooks run in JupyterLab as a reader would run them: in headless Chromium,
Edit > Clear Outputs of All Cells, then Run > Run All Cells, in the venv's ``kdwars``
kernel. Every figure must render and no cell may show an error or write to stderr.
A full-length screenshot of each notebook goes to ``reports/browser/<stem>.png``.
Opening a committed notebook and saving it (File > Save Notebook) must leave it
byte for byte as committed: JupyterLab rewrites nothing (kernelspec, language_info).

Needs Debian's chromium (``apt-get install chromium``). Without it these tests are
skipped with a loud message, unless the environment variable ``CI`` is set: then
they fail (CI must run them). ``KDWARS_SKIP_BROWSER=1`` skips them outside CI.
``KDWARS_BROWSER_NOTEBOOKS`` chooses the notebooks:
a comma-separated list of names in ``notebooks/``, paths to other ``.ipynb`` files,
or ``all`` (every ``notebooks/[0-9]*.ipynb``). ``KDWARS_BROWSER_TIMEOUT`` is the time
allowed for one Run All, in seconds (default 300).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import _jupyterlab as lab
from .conftest import NOTEBOOKS, REPO

pytestmark = pytest.mark.browser

DEFAULT_NOTEBOOKS = ["03-regions.ipynb", "05-casualties-and-forces.ipynb"]
SCREENSHOTS = REPO / "reports" / "browser"
RUN_TIMEOUT_S = float(os.environ.get("KDWARS_BROWSER_TIMEOUT", "300"))
VIEWPORT = {"width": 1400, "height": 900}
MAX_SCREENSHOT_HEIGHT = 16000  # Chromium paints nothing in taller screenshots


def _chosen() -> list[tuple[str, Path | None]]:
    """(notebook name, path of the committed notebook or None) to drive."""
    spec = os.environ.get("KDWARS_BROWSER_NOTEBOOKS", "").strip()
    if not spec:
        entries = DEFAULT_NOTEBOOKS
    elif spec == "all":
        entries = [p.name for p in sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))]
    else:
        entries = [e.strip() for e in spec.split(",") if e.strip()]
    chosen = []
    for entry in entries:
        given = Path(entry)
        if given.suffix == ".ipynb" and given.is_file() and given.parent.resolve() != NOTEBOOKS.resolve():
            chosen.append((given.name, given.resolve()))  # an extra notebook, copied in
        else:
            path = NOTEBOOKS / given.name
            chosen.append((given.name, path if path.is_file() else None))
    return chosen


CHOSEN = _chosen()
PARAMS = [pytest.param(name, id=name) for name, _ in CHOSEN]  # a missing notebook fails in the test
SOURCES = {name: path for name, path in CHOSEN}


def _in_ci() -> bool:
    """True when the environment variable CI is set (as CI runs set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    """Fail in CI, where the browser tests are required; skip loudly elsewhere."""
    if _in_ci():
        pytest.fail(f"{reason} (required because CI is set)", pytrace=False)
    pytest.skip(f"{lab.BROWSER_SKIP_MARK}: {reason}")


def _require_browser() -> None:
    if os.environ.get("KDWARS_SKIP_BROWSER") == "1" and not _in_ci():
        pytest.skip("KDWARS_SKIP_BROWSER=1")
    if not lab.CHROMIUM.is_file():
        _missing(f"{lab.CHROMIUM} is missing: install Debian's chromium with `{lab.CHROMIUM_INSTALL}`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright for Python is missing: pip install -e '.[test]'")


def _check_kernelspec(env: dict) -> None:
    """The server resolves the notebooks' kernel to the venv's kernelspec (Makefile, --sys-prefix)."""
    out = subprocess.run(
        [sys.executable, "-c",
         "import json; from jupyter_client.kernelspec import KernelSpecManager as K; "
         "print(json.dumps(K().find_kernel_specs()))"],
        env=env, check=True, capture_output=True, text=True, timeout=60,
    )
    specs = json.loads(out.stdout)
    name = lab.KERNEL_NAME
    assert name in specs, f"no {name} kernelspec for the server: {specs}; run `make install`"
    assert Path(specs[name]).resolve().is_relative_to(Path(sys.prefix).resolve()), (
        f"kernel {name} comes from {specs[name]}, not from {sys.prefix}: "
        f"run `make install` (ipykernel install --sys-prefix --name {name})"
    )


@pytest.fixture(scope="module")
def lab_session(tmp_path_factory):
    """(server, browser context): one JupyterLab server on a temporary copy of the
    notebooks and one headless Chromium, shared by the module; both end at teardown."""
    from playwright.sync_api import sync_playwright

    tmp = tmp_path_factory.mktemp("jupyterlab")
    extras = [p for name, p in CHOSEN if p is not None and p.parent != NOTEBOOKS]
    # The notebooks import the installed kdwars, which finds its own tables; the
    # notebooks folder is all they need (checked: no code cell reaches "../").
    root = lab.copy_notebooks(NOTEBOOKS, tmp / "notebooks", extras)
    for nb_path in root.glob("*.ipynb"):
        nb = json.loads(nb_path.read_text())
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code" and "../" in lab.source_text(cell):
                pytest.fail(f"{nb_path.name} reads '../' outside notebooks/: the browser test "
                            "serves a copy of notebooks/ only", pytrace=False)

    with contextlib.ExitStack() as stack:
        t0 = time.perf_counter()
        server = lab.start_lab(root, tmp / "home")
        stack.callback(server.stop)
        _check_kernelspec(server.env)
        print(f"jupyter lab up on port {server.port} in {time.perf_counter() - t0:.1f} s")

        pw = sync_playwright().start()
        stack.callback(pw.stop)
        context = pw.chromium.launch_persistent_context(
            str(tmp / "chromium-profile"),
            executable_path=str(lab.CHROMIUM),
            headless=True,
            args=lab.CHROMIUM_ARGS,
            viewport=VIEWPORT,
        )
        stack.callback(context.close)
        yield server, context


def _open(page, server, name: str) -> None:
    workspace = re.sub(r"[^A-Za-z0-9-]", "-", Path(name).stem)
    page.goto(server.url(f"lab/workspaces/{workspace}/tree/{name}?reset&token={server.token}"),
              timeout=120_000)
    page.wait_for_function(
        "(name) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.context && w.context.path === name && w.context.isReady); }",
        arg=name, timeout=60_000,
    )
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # room for the notebook
    page.wait_for_function(lab.JS_KERNEL_IDLE, timeout=120_000)


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar").get_by_role("menuitem", name=menu, exact=True).click()
    entry = page.locator(".lm-Menu").get_by_role("menuitem", name=re.compile(rf"^{re.escape(item)}"))
    entry.click()
    page.keyboard.press("Escape")  # make sure no menu is left open over the notebook


def _screenshot(page, path: Path) -> None:
    """The whole notebook: make the viewport as tall as the notebook's scrolled content."""
    extra = page.evaluate(
        "() => { const o = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');"
        " return o ? o.scrollHeight - o.clientHeight : 0; }"
    )
    height = min(VIEWPORT["height"] + max(0, int(extra)), MAX_SCREENSHOT_HEIGHT)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.wait_for_timeout(500)  # relayout
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


def _summary(page) -> str:
    """What the page shows, for a failure message."""
    try:
        state = page.evaluate(lab.JS_STATE)
    except Exception as exc:  # noqa: BLE001 - the page may be gone
        return f"(page state unavailable: {exc})"
    model = state.pop("model") or {}
    state["problems"] = lab.bad_outputs(model)
    return json.dumps(state, indent=1, ensure_ascii=False)


def test_chromium_is_installed():
    """Fails (never skips silently) without Debian's chromium, even before any notebook exists."""
    _require_browser()


@pytest.mark.parametrize("name", PARAMS)
def test_notebook_runs_in_jupyterlab(name, request):
    _require_browser()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if SOURCES[name] is None:
        pytest.fail(f"notebooks/{name} does not exist", pytrace=False)
    server, context = request.getfixturevalue("lab_session")
    committed = json.loads(SOURCES[name].read_text())
    n_cells = len(committed["cells"])
    committed_images = lab.count_image_outputs(committed)

    page = context.new_page()
    t0 = time.perf_counter()
    try:
        _open(page, server, name)
        t_open = time.perf_counter() - t0

        _menu(page, "Edit", "Clear Outputs of All Cells")
        page.wait_for_function(
            "() => { const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');"
            " return p && p.querySelectorAll('.jp-OutputArea-output').length === 0"
            " && [...p.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".every(e => e.textContent.trim() === '[ ]:'); }",
            timeout=30_000,
        )

        t1 = time.perf_counter()
        _menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(lab.JS_RUN_FINISHED, arg=n_cells, timeout=RUN_TIMEOUT_S * 1000, polling=250)
        except PlaywrightTimeout:
            pytest.fail(f"{name}: Run All did not finish within {RUN_TIMEOUT_S:.0f} s "
                        f"(KDWARS_BROWSER_TIMEOUT): {_summary(page)}", pytrace=False)
        # Let the last images decode before counting them.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"image/png\"] img')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=30_000,
        )
        t_run = time.perf_counter() - t1
        state = page.evaluate(lab.JS_STATE)
    finally:
        with contextlib.suppress(Exception):
            _screenshot(page, SCREENSHOTS / f"{Path(name).stem}.png")
        with contextlib.suppress(Exception):
            page.close()
        server.shutdown_sessions()
    print(f"{name}: opened in {t_open:.1f} s, ran in {t_run:.1f} s, "
          f"{state['nImages']} images (committed: {committed_images})")

    problems = lab.bad_outputs(state["model"])
    if problems:
        pytest.fail(f"{name} shows errors or stderr output in JupyterLab:\n" + "\n\n".join(problems),
                    pytrace=False)
    assert state["kernel"] and state["kernel"]["name"] == lab.KERNEL_NAME, f"kernel: {state['kernel']}"
    assert state["nCells"] == n_cells
    code = [c for c in state["model"]["cells"] if c["cell_type"] == "code" and lab.source_text(c).strip()]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), f"code cells not all run once, in order: {counts}"
    assert all(re.fullmatch(r"\[\d+\]:", p) for p in state["prompts"] if p != "[ ]:"), state["prompts"]
    assert not state["dialogs"], f"a dialog is open over {name}: {state['dialogs']}"
    assert not state["toasts"], f"a notification is shown over {name}: {state['toasts']}"
    assert state["nImages"] >= max(1, committed_images), (
        f"{name}: {state['nImages']} images rendered, the committed notebook has {committed_images}"
    )
    assert state["nImagesLoaded"] == state["nImages"], "an image did not load"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}).stdout


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("[0-9]*.ipynb")), ids=lambda p: p.name)
def test_opening_and_saving_leaves_the_notebook_unchanged(path, request):
    """Open a committed notebook in JupyterLab, let its kernel start, save it: the file
    must not change (`git status --porcelain` stays empty). A notebook saved under another
    kernelspec or with other metadata than JupyterLab writes would show up here."""
    _require_browser()
    server, context = request.getfixturevalue("lab_session")
    # A git repository of its own inside the served folder, holding this notebook as committed.
    repo = server.root_dir / f"save-{path.stem}"
    repo.mkdir()
    shutil.copy2(path, repo / path.name)
    (repo / ".gitignore").write_text(".ipynb_checkpoints/\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "committed notebook")
    rel = f"{repo.name}/{path.name}"
    before = server.api("GET", f"api/contents/{rel}?content=0")["last_modified"]

    page = context.new_page()
    try:
        _open(page, server, rel)  # waits for the kernel to be idle (language_info arrives then)
        state = page.evaluate(lab.JS_STATE)
        assert state["kernel"] and state["kernel"]["name"] == lab.KERNEL_NAME, f"kernel: {state['kernel']}"
        assert not state["dialogs"], f"a dialog is open over {path.name}: {state['dialogs']}"
        page.locator(".lm-MenuBar").get_by_role("menuitem", name="File", exact=True).click()
        page.locator('.lm-Menu li[data-command="docmanager:save"]').click()  # File > Save Notebook
        deadline = time.monotonic() + 30
        while server.api("GET", f"api/contents/{rel}?content=0")["last_modified"] == before:
            assert time.monotonic() < deadline, f"{path.name}: JupyterLab did not save within 30 s"
            time.sleep(0.25)
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty",
                               timeout=30_000)
    finally:
        with contextlib.suppress(Exception):
            page.close()
        server.shutdown_sessions()
    status = _git(repo, "status", "--porcelain")
    diff = _git(repo, "diff", "--", path.name)
    assert status == "", f"saving {path.name} in JupyterLab changed it:\n{diff[:3000]}"
    assert (repo / path.name).read_bytes() == path.read_bytes()
