"""The examples in the docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["kdwars.analysis", "kdwars.data", "kdwars.reconcile", "kdwars.style", "kdwars.parse", "kdwars.relations",
           "kdwars.counting", "kdwars.cards"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_every_public_function_has_a_numpy_docstring():
    import inspect

    for name in ["kdwars.analysis", "kdwars.plotting", "kdwars.data", "kdwars.reconcile", "kdwars.relations",
                 "kdwars.counting", "kdwars.cards"]:
        module = importlib.import_module(name)
        for fname in getattr(module, "__all__", []):
            obj = getattr(module, fname)
            if not inspect.isfunction(obj):
                continue
            doc = inspect.getdoc(obj) or ""
            params = [p for p in inspect.signature(obj).parameters if p not in ("kwargs", "args")]
            if inspect.signature(obj).return_annotation not in ("None", None):
                assert "Returns\n-------" in doc, f"{name}.{fname}: no Returns section"
            if params:
                assert "Parameters\n----------" in doc, f"{name}.{fname}: no Parameters section"
                for p in params:
                    assert p in doc, f"{name}.{fname}: parameter {p!r} undocumented"
