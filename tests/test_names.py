"""kdwars.names.name_key: the spelling key shared by the resolvers and the build."""

from __future__ import annotations

import doctest
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from kdwars import names, raw
from kdwars.names import name_key

from .conftest import REPO


def test_docstring_examples():
    result = doctest.testmod(names)
    assert result.attempted > 0 and result.failed == 0


def test_raw_reexports_the_same_function():
    assert raw.name_key is name_key


def test_spelling_variants_share_a_key():
    assert name_key("Abul-Khair  Khan") == name_key("abul khair khan") == "abul khair khan"
    assert name_key("Yalangtoʻsh") == name_key("Yalangto’sh") == name_key("yalangto'sh")
    assert name_key("Ayagöz") == name_key("Ayagoz")
    assert name_key("Shono-Dov (Lausan Shono)") == "shono dov lausan shono"
    assert name_key("Galdan Tseren") != name_key("Galdan Boshugtu")


def test_names_is_standard_library_only():
    code = "import sys, kdwars.names; print(sorted(m for m in ('pandas', 'yaml', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO / "src")}, check=True).stdout
    # kdwars/__init__ imports pandas for the loaders; names.py itself adds neither YAML nor pydantic
    assert "yaml" not in out and "pydantic" not in out, out


@given(st.text())
def test_key_is_normalised_and_idempotent(text):
    key = name_key(text)
    assert key == name_key(key)
    assert key == key.strip() and "  " not in key
    assert key == key.casefold()
    assert not any(c in key for c in "()[]{}.,;:!?\"«»-_/–—ʻʼ’‘`´′")


WORDS = st.text(alphabet=st.characters(categories=["Lu", "Ll"], max_codepoint=0x24F), min_size=1)


@given(WORDS, WORDS, st.sampled_from(["-", " ", "  ", "_", "/", "–", "—"]))
def test_separators_do_not_matter(first, second, sep):
    assert name_key(first + sep + second) == name_key(first + " " + second)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1))
def test_case_does_not_matter(word):
    assert name_key(word.upper()) == name_key(word.lower()) == word.lower()
