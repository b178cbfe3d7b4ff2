"""Reading back the PDFs the tracker makes."""

import io

from pypdf import PdfReader


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Each font a PDF uses, and whether the font file itself is embedded."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
    return fonts
