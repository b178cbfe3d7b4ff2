"""Repairs to the tag tree WeasyPrint 70 writes, so that a PDF/UA-1 file reads as its HTML does.

WeasyPrint builds the structure tree page by page (weasyprint/pdf/tags.py), which leaves faults
that `pdfua check` does not see (upstream: Kozea/WeasyPrint#1836, #2902, #2903):

- the page margins' text (running header, "Page N of M") is tagged content whose structure
  elements claim the Document as parent without being among its children;
- an element that crosses a page break becomes one element per page: one Art per page, a
  paragraph cut in two, one Table per page with the repeated header row tagged again as content;
- table header cells get /ID and /Headers but no /Scope;
- a link's annotation gives its raw URL as its alternative text (/Contents).

`_recording_build_box_tree` wraps WeasyPrint's tree builder to note, on the pydyf PDF being
written, the HTML element each structure element comes from and which marked content belongs to
the page margins. `repair` is the `finisher` WeasyPrint calls before it writes the file: it turns
margin content and repeated table headers into pagination artifacts, joins the pieces of each
element into one, scopes header cells and names links by their words. Both work on WeasyPrint's
own objects in memory, so nothing is parsed twice.

The wrapper depends on the private `weasyprint.pdf.tags._build_box_tree` of the pinned version
below (pyproject.toml pins the same): importing this module with another version fails, and the
structure-tree tests (tests/inspections/test_pdftags.py) show whether an upgrade still needs it.
Everything a render learns lives on its own PDF object, so concurrent renders share nothing.
"""

import pydyf
import weasyprint
from weasyprint.formatting_structure.boxes import MarginBox
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags as weasyprint_tags

WEASYPRINT_VERSION = "70.0"
if weasyprint.__version__ != WEASYPRINT_VERSION:
    raise ImportError(
        f"inspections/pdftags.py repairs the tag tree of WeasyPrint {WEASYPRINT_VERSION}, "
        f"not {weasyprint.__version__}: check it against the new version's pdf/tags.py."
    )

MARGIN_SUBTYPES = {"@top": "/Header", "@bottom": "/Footer"}
REPEATED_GROUPS = ("/THead", "/TFoot")


class _Notes:
    """What the wrapper learns about one PDF while WeasyPrint builds its tree."""

    def __init__(self):
        # id(structure element) -> (structure element, HTML element, tag with pseudo-element)
        self.sources: dict[int, tuple] = {}
        self.margin_mcids: list[tuple[int, set[int], str | None]] = []
        self.margin_elements: list[pydyf.Dictionary] = []
        self.margin_depth = 0


def _notes(pdf) -> _Notes:
    if not hasattr(pdf, "pfcc_tag_notes"):
        pdf.pfcc_tag_notes = _Notes()
    return pdf.pfcc_tag_notes


_build_box_tree = weasyprint_tags._build_box_tree


def _recording_build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
    notes = _notes(pdf)
    real = box._box if isinstance(box, AbsolutePlaceholder) else box
    if isinstance(real, MarginBox):
        before = set(nums)
        notes.margin_depth += 1
        try:
            yield from _build_box_tree(box, parent, pdf, page_number, nums, annotations, tags)
        finally:
            notes.margin_depth -= 1
        subtype = MARGIN_SUBTYPES.get(real.at_keyword.split("-")[0])
        notes.margin_mcids.append((page_number, set(nums) - before, subtype))
        return
    for element in _build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        if notes.margin_depth:
            notes.margin_elements.append(element)
        else:
            # The innermost call sees an element first: html and body pass their children's on.
            notes.sources.setdefault(id(element), (element, real.element, real.element_tag))
        yield element


# Installed once, when the PDF module first imports this one (Python runs a module body once).
weasyprint_tags._build_box_tree = _recording_build_box_tree


def repair(document, pdf) -> None:
    """WeasyPrint's `finisher`: mends the tag tree of `pdf` before it is written."""
    notes = getattr(pdf, "pfcc_tag_notes", None)
    if notes is not None:
        _Tree(pdf, notes).repair()


def _words(element) -> str:
    return " ".join("".join(element.itertext()).split())


class _Tree:
    def __init__(self, pdf, notes: _Notes):
        self.pdf = pdf
        self.notes = notes
        root = self.get(pdf.catalog["StructTreeRoot"])
        self.document = self.get(root["K"][0])
        # [page 0, [element of MCID 0, ...], page 1, [...], ..., link number, link element, ...]
        self.parent_tree = self.get(root["ParentTree"])["Nums"]
        self.pages = list(pdf.page_references)
        self.artifacts: dict[int, dict[int, str | None]] = {}  # page -> MCID -> subtype
        self.moved: dict[bytes, bytes] = {}  # a joined piece's reference -> the whole's
        self.header_ids: dict[str, pydyf.String] = {}  # a repeated header cell's /ID -> first's

    def get(self, reference: bytes) -> pydyf.Object:
        return self.pdf.objects[int(reference.split()[0])]

    def element(self, kid) -> pydyf.Dictionary | None:
        """The structure element a /K entry refers to, if it refers to one."""
        if isinstance(kid, bytes):
            target = self.get(kid)
            if target.get("Type") == "/StructElem":
                return target
        return None

    def source(self, element) -> tuple | None:
        noted = self.notes.sources.get(id(element))
        return noted[1:] if noted else None

    def repair(self) -> None:
        for page, mcids, subtype in self.notes.margin_mcids:
            self.artifacts.setdefault(page, {}).update(dict.fromkeys(mcids, subtype))
        for element in self.notes.margin_elements:
            self.discard(element)
        self.join(self.document)
        self.mark_artifacts()
        self.redirect_parent_tree()
        for element, html, _ in self.notes.sources.values():
            if element.get("S") == "/TH":
                scope = "/Row" if html.get("scope") == "row" else "/Column"
                element["A"]["Scope"] = scope
            elif element.get("S") == "/TD" and "Headers" in element["A"]:
                headers = element["A"]["Headers"]
                element["A"]["Headers"] = pydyf.Array(
                    self.header_ids.get(header.string, header) for header in headers
                )
            elif element.get("S") == "/Link":
                self.name_link(element, html)

    def join(self, parent: pydyf.Dictionary) -> None:
        """Joins each element's pieces (one per page or per line) into one, depth first."""
        kids = pydyf.Array()
        for kid in parent["K"]:
            element = self.element(kid)
            previous = self.element(kids[-1]) if kids else None
            if (
                element is not None
                and previous is not None
                and previous["S"] == element["S"]
                and self.source(previous) is not None
                and self.source(previous) == self.source(element)
            ):
                self.absorb(previous, element)
            else:
                kids.append(kid)
        parent["K"] = kids
        for kid in kids:
            if (element := self.element(kid)) is not None:
                self.join(element)

    def absorb(self, whole: pydyf.Dictionary, piece: pydyf.Dictionary) -> None:
        groups = {
            self.source(group): group
            for group in map(self.element, whole["K"])
            if group is not None and group["S"] in REPEATED_GROUPS
        }
        for kid in piece["K"]:
            element = self.element(kid)
            if element is not None:
                repeated = groups.get(self.source(element))
                if repeated is not None:
                    self.repeat(element, repeated)
                    continue
                element["P"] = whole.reference
            elif isinstance(kid, int) and piece["Pg"] != whole["Pg"]:
                # A bare MCID belongs to the element's page: say which page it is on.
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": piece["Pg"], "MCID": kid})
            whole["K"].append(kid)
        self.moved[piece.reference] = whole.reference
        piece.clear()

    def repeat(self, copy: pydyf.Dictionary, first: pydyf.Dictionary) -> None:
        """A table's header (or footer) rows drawn again on a later page: an artifact there."""
        first_ids = {}
        self.walk(first, lambda cell: first_ids.setdefault(self.source(cell), cell.get("ID")))
        for cell in self.walk(copy):
            if "ID" in cell:
                self.header_ids[cell["ID"].string] = first_ids[self.source(cell)]
        self.discard(copy)

    def walk(self, element, visit=None) -> list[pydyf.Dictionary]:
        found = [element]
        for kid in element.get("K", ()):
            if (child := self.element(kid)) is not None:
                found += self.walk(child)
        if visit:
            for each in found:
                visit(each)
        return found

    def discard(self, element: pydyf.Dictionary) -> None:
        """Turns what `element` tags into artifacts and empties it and its descendants."""
        for each in self.walk(element):
            for kid in each["K"]:
                if isinstance(kid, int):
                    page = self.pages.index(each["Pg"])
                    self.artifacts.setdefault(page, {}).setdefault(kid, None)
        for each in self.walk(element):
            each.clear()

    def mark_artifacts(self) -> None:
        """Rewrites `/Span <</MCID n>> BDC` as `/Artifact <</Type /Pagination>> BDC`."""
        for page, subtypes in self.artifacts.items():
            operations = self.get(self.get(self.pages[page])["Contents"]).stream
            for index, operation in enumerate(operations):
                if isinstance(operation, pydyf.Dictionary) and operation.get("MCID") in subtypes:
                    subtype = subtypes[operation["MCID"]]
                    operations[index - 1] = "/Artifact"
                    operation.clear()
                    operation["Type"] = "/Pagination"
                    if subtype:
                        operation["Subtype"] = subtype
            entries = self.parent_tree[2 * page + 1]
            for mcid in subtypes:
                entries[mcid] = b"null"

    def redirect_parent_tree(self) -> None:
        def follow(reference):
            while reference in self.moved:
                reference = self.moved[reference]
            return reference

        pages = len(self.pages)
        for index in range(1, 2 * pages, 2):
            entries = self.parent_tree[index]
            entries[:] = [follow(entry) for entry in entries]
        for index in range(2 * pages + 1, len(self.parent_tree), 2):
            self.parent_tree[index] = follow(self.parent_tree[index])

    def name_link(self, link: pydyf.Dictionary, html) -> None:
        """A link's annotation says the link's words (or its title), not where it goes."""
        words = html.get("title") or _words(html)
        for kid in link["K"]:
            if isinstance(kid, bytes) and self.get(kid).get("Type") == "/OBJR":
                self.get(self.get(kid)["Obj"])["Contents"] = pydyf.String(words)
