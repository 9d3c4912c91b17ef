"""The bilingual message catalogue: every key in both languages, same placeholders."""

import pytest

import maturity.messages  # noqa: F401  (registers maturity's files)
from value_chain import messages


def test_every_key_has_en_and_zh_with_the_same_placeholders():
    assert messages.catalogue_problems() == []
    assert len(messages.catalogue()) >= 2


def test_a_key_without_chinese_or_with_other_placeholders_is_reported(monkeypatch):
    broken = {"a": {"en": "{n} islands"}, "b": {"en": "{n} of {m}", "zh": "{n} / {k}"},
              "c": {"en": "ok {n}", "zh": "好 {n}"}}
    monkeypatch.setattr(messages, "catalogue", lambda: broken)
    problems = messages.catalogue_problems()
    assert len(problems) == 2
    assert problems[0].startswith("a: needs exactly en and zh")
    assert problems[1].startswith("b: placeholders differ")


def test_render_fills_placeholders_and_refuses_unknown_keys_and_languages():
    assert messages.msg("landscape.islands", "en", n=3) == "3 information islands"
    with pytest.raises(KeyError, match=r"no message 'no\.such\.key'"):
        messages.msg("no.such.key")
    with pytest.raises(ValueError, match="lang must be one of en, zh"):
        messages.msg("landscape.islands", "de", n=1)
