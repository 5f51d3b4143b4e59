"""The local filesystem broker (used when ``REDIS_URL`` is unset), made safe for a real worker.

kombu's filesystem transport creates a message file under its final name and then writes into
it; a worker polling the folder can move and read the file in between, find it empty and drop
the message (seen as a lost notification under load). Here a message is written under a name the
consumer never picks up (it does not end in ``.<queue>.msg``) and renamed into place when it is
complete: a rename within one folder is atomic, so a consumer sees either no file or all of it.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# A name the consumer skips: it keeps only files whose name after the first dot is "<queue>.msg".
_PARTIAL_PREFIX = "partial-"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f"{_PARTIAL_PREFIX}{uuid.uuid4().hex}")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
