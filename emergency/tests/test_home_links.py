"""Every link a persona's home page shows answers 200 for that persona (issue 17, item 7):
a link is shown only when the access modules allow what it leads to."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

PERSONAS = ["county_dispatcher", "township_officer", "village_officer_a", "department_officer", "admin"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/") and not href.startswith("//"):
            self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return list(dict.fromkeys(parser.hrefs))


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_links_only_to_pages_that_answer(world, client_for, persona):
    client = client_for(getattr(world, persona))
    home = client.get("/")
    assert home.status_code == 200
    links = links_of(home.content.decode())
    assert links
    broken = {href: client.get(href).status_code for href in links}
    assert {href: code for href, code in broken.items() if code != 200} == {}
