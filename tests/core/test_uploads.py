"""Private, content-checked photo uploads (tollservice.core.uploads), shared by inspections and
complaints: a photo is a photo by its content, stored privately under a generated name, and
served only to a reader the view has cleared."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from tollservice.core import uploads
from tollservice.core.errors import DomainError


def photo(name="photo.jpg", fmt="JPEG", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.mark.parametrize("fmt, extension", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_real_photos_pass_and_are_named_by_their_content(fmt, extension):
    checked = uploads.image_check(photo("whatever.exe", fmt=fmt))
    assert (checked.format, checked.extension, checked.width, checked.height) == (fmt, extension, 40, 30)


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",  # a page named .jpg
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,  # a JPEG header and nothing behind it
        b"GIF89a" + b"\x00" * 32,
    ],
)
def test_anything_else_is_refused_whatever_its_name_and_declared_type(content):
    with pytest.raises(DomainError) as error:
        uploads.image_check(SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg"))
    assert error.value.field == "photo"


def test_a_truncated_photo_is_refused():
    whole = photo().read()
    with pytest.raises(DomainError):
        uploads.image_check(SimpleUploadedFile("photo.jpg", whole[: len(whole) // 2]))


def test_a_gif_is_a_real_image_but_not_an_allowed_format():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(DomainError) as error:
        uploads.image_check(SimpleUploadedFile("a.gif", buffer.getvalue()))
    assert error.value.code == "format"


def test_size_limit_and_empty_file():
    with pytest.raises(DomainError) as error:
        uploads.image_check(photo(), max_bytes=100)
    assert error.value.code == "too_large"
    with pytest.raises(DomainError):
        uploads.image_check(SimpleUploadedFile("empty.jpg", b""))


def test_stored_privately_under_a_generated_name_with_no_url(private_root):
    name, checked = uploads.private_image_save(upload=photo("../../etc/passwd.jpg"), folder="complaints")
    assert name.startswith("complaints/") and name.endswith(".jpg") and "passwd" not in name
    assert (private_root / name).exists()
    with pytest.raises(ValueError):
        uploads.private_storage.url(name)
    other, _ = uploads.private_image_save(upload=photo(), folder="complaints")
    assert other != name


def test_served_only_when_allowed_and_never_sniffed_or_cached():
    name, checked = uploads.private_image_save(upload=photo(), folder="inspections")
    with pytest.raises(Http404):
        uploads.private_file_response(name=name, allowed=False, content_type=checked.content_type)
    with pytest.raises(Http404):
        uploads.private_file_response(name="inspections/missing.jpg", allowed=True, content_type="image/jpeg")
    response = uploads.private_file_response(
        name=name, allowed=True, content_type=checked.content_type, download_name="检查照片"
    )
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
