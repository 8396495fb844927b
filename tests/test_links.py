"""extract.nlp.links: URLs as written, repaired where a page split them."""

from __future__ import annotations

import pytest

from extract.nlp.links import find_urls


@pytest.mark.parametrize(
    ("text", "url", "written"),
    [
        ("Code: https://github.com/acme/widget.", "https://github.com/acme/widget",
         "https://github.com/acme/widget"),
        # a page that highlighted the repository's name put spaces around it
        ("Code is at https://github.com/acme/ Widget . Next", "https://github.com/acme/Widget",
         "https://github.com/acme/ Widget"),
        ("Page: https://acme.github.io/ Widget /.", "https://acme.github.io/Widget/",
         "https://acme.github.io/ Widget /"),
        # ... or before the host's domain, or at the hyphens of a name
        ("Code: https://github. com /acme/widget-kit.", "https://github.com/acme/widget-kit",
         "https://github. com /acme/widget-kit"),
        ("Code: github.com/acme/Widget-Signals-for- Self-Checking -and-Repair. Next",
         "github.com/acme/Widget-Signals-for-Self-Checking-and-Repair",
         "github.com/acme/Widget-Signals-for- Self-Checking -and-Repair"),
    ],
)  # fmt: skip
def test_urls_as_written_and_repaired(text: str, url: str, written: str) -> None:
    found = list(find_urls(text))
    assert [(u.url, text[u.start : u.end]) for u in found] == [(url, written)]


def test_a_hyphen_inside_a_url_is_no_split() -> None:
    text = "See https://github.com/acme/widget-kit - it is new."
    assert [u.url for u in find_urls(text)] == ["https://github.com/acme/widget-kit"]
