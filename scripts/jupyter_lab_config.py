"""JupyterLab configuration for `make lab` (and the browser tests): keep notebooks clean.

When a kernel starts, JupyterLab copies everything the kernel reports about its
language (including the Python version) into the notebook's ``language_info`` and
writes it on the next save or autosave: the committed notebooks would change merely
by being opened. This pre-save hook reduces ``language_info`` to the machine-independent
keys and drops per-cell timing metadata, exactly as ``scripts/run_notebooks.py`` does
after executing a notebook. It leaves the kernelspec alone: the notebooks name the
kernel `make install` registers (``kdwars``), so JupyterLab has nothing to change there.

Usage: ``jupyter lab --config=scripts/jupyter_lab_config.py`` (what `make lab` runs).
"""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("kdwars_run_notebooks", Path(__file__).with_name("run_notebooks.py"))
_run_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_run_notebooks)


def strip_volatile_before_save(model, **kwargs):
    """Jupyter Server pre-save hook: normalise a notebook's metadata before it is written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        _run_notebooks.strip_volatile(model["content"])


c = get_config()  # noqa: F821 - provided by traitlets when it loads this file
c.ContentsManager.pre_save_hook = strip_volatile_before_save
