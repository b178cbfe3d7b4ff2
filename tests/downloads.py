"""Reading what the site sends as a download."""

import csv
import io


def csv_rows(response) -> list[dict]:
    """The rows of a CSV download, streamed or not, with or without a byte-order mark."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
