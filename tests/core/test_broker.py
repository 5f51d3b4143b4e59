"""The local filesystem broker never hands a worker a message that is still being written."""

from __future__ import annotations

import os

import pytest
from kombu import Connection

from tollservice.core import broker


@pytest.fixture
def channel(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "store_processed": False}
    with Connection("filesystem://localhost//", transport=broker.Transport, transport_options=options) as conn:
        yield conn.default_channel, folder


def test_a_message_appears_under_its_queue_name_only_once_complete(channel, monkeypatch):
    chan, folder = channel
    renames = []
    real_replace = os.replace

    def watching_replace(source, target):
        # At the moment of the rename the whole message is already on disk, under a name the
        # consumer does not pick up.
        renames.append((os.path.basename(source), os.path.getsize(source)))
        real_replace(source, target)

    monkeypatch.setattr(broker.os, "replace", watching_replace)
    chan._put("celery", {"body": "x" * 10_000})

    [(partial_name, size)] = renames
    assert size > 10_000
    assert partial_name.partition(".")[2] != "celery.msg"
    assert chan._get("celery") == {"body": "x" * 10_000}
    assert os.listdir(folder) == []


def test_a_partly_written_file_is_not_consumed(channel):
    chan, folder = channel
    (folder / f"{broker._PARTIAL_PREFIX}abc").write_bytes(b'{"body": "hal')
    from kombu.transport.virtual import Empty  # noqa: PLC0415 - kombu's own "nothing queued"

    with pytest.raises(Empty):
        chan._get("celery")


def test_the_local_settings_use_it_without_redis(settings):
    from django.conf import settings as django_settings

    if django_settings.REDIS_URL:
        assert django_settings.CELERY_BROKER_TRANSPORT is None
    else:
        assert django_settings.CELERY_BROKER_TRANSPORT == "tollservice.core.broker:Transport"
