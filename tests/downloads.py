"""Reading what the site sends as a download."""

import csv
import io


def body(response) -> bytes:
    """What a download holds, streamed or not (a streamed one is read to its end)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    """The rows of a CSV download, streamed or not, with or without a byte-order mark."""
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
