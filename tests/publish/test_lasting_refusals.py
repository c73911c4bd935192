"""A save the wiki refuses for the page's content model is a lasting refusal (issue #20): tried
again a day later, as protection is, not every run."""

from __future__ import annotations

import pytest

from wmstrategybot.errors import SkippedPage


@pytest.mark.parametrize("code", ["cantchangecontentmodel", "customjsonprotected", "customcssprotected",
                                  "customjsprotected", "protectedpage"])
def test_a_content_model_refusal_lasts(code):
    assert SkippedPage("User:Alice/Summit/Data", code, "why").lasting


def test_an_unknown_error_code_is_retried_next_run():
    assert not SkippedPage("Summit/Data", "internal_api_error_DBQueryError", "why").lasting
