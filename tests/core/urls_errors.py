"""The portal's URLs plus one view that fails, to see the 500 page (test_error_pages.py)."""

from django.urls import path

from tollservice.urls import handler403, handler404, handler500
from tollservice.urls import urlpatterns as portal_urlpatterns


def broken(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [*portal_urlpatterns, path("broken/", broken, name="broken")]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
