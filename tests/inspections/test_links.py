"""Every page the inspections domain links to (notifications, reminders) exists."""

from django.urls import resolve

from inspections import links


def test_every_linked_page_exists():
    for name, kwargs in links.ALL.items():
        path = links.portal_url(name, **dict.fromkeys(kwargs, 1))
        assert resolve(path).url_name == name.split(":")[1]
