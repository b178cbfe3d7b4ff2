"""Reading back the PDFs the tracker makes."""

import io
from dataclasses import dataclass, field

import pikepdf
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


# --- The structure tree (tags) of a PDF/UA file, read with pikepdf ---


@dataclass
class Element:
    """One structure element: its role (/S without the slash), what it tags, and its children."""

    role: str
    attributes: dict
    kids: list["Element"] = field(default_factory=list)
    # (page number, MCID) of the marked content this element tags itself, in order.
    content: list[tuple[int, int]] = field(default_factory=list)
    # The alternative text (/Contents) of each annotation it owns: a link's words.
    annotations: list[str] = field(default_factory=list)
    text: str = ""

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all(self, role: str) -> list["Element"]:
        return [element for element in self.walk() if element.role == role]


@dataclass
class Structure:
    """What a PDF's tags say, and what is wrong with how they hang together."""

    document: Element
    problems: list[str]
    # Page number -> text drawn as pagination artifacts (running header, page numbers).
    artifact_text: dict[int, str]
    pages: int


def _marked_content(pdf: bytes) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """The text of every piece of marked content, by (page, MCID), and of artifacts by page."""
    texts, artifacts = {}, {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        stack = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator == b"BDC":
                tag, properties = operands
                stack.append("artifact" if tag == "/Artifact" else properties.get("/MCID"))
            elif operator == b"BMC":
                stack.append("artifact" if operands[0] == "/Artifact" else None)
            elif operator == b"EMC":
                stack.pop()

        def text(content, cm, tm, font, size, stack=stack, number=number):
            mark = stack[-1] if stack else None
            if mark == "artifact":
                artifacts[number] = artifacts.get(number, "") + content
            elif mark is not None:
                key = (number, mark)
                texts[key] = texts.get(key, "") + content

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts, artifacts


def _words(text: str) -> str:
    return " ".join(text.split())


def structure(pdf: bytes) -> Structure:
    """Reads the structure tree of `pdf` and checks that it holds together.

    Problems found: a structure element whose /P is not the element that lists it, one listed
    twice, one in the file but not in the tree (WeasyPrint's page margins), marked content that
    no element of the tree claims or that two claim, and parent-tree entries (how a reader goes
    from content back to its element) that point elsewhere than the element that claims it.
    """
    texts, artifacts = _marked_content(pdf)
    problems = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages)}
        root = document.Root.StructTreeRoot
        seen: dict[tuple, Element] = {}
        claimed: dict[tuple[int, int], tuple] = {}

        def read(node, parent) -> Element:
            element = Element(str(node.S)[1:], dict(node.get("/A", {})))
            if node.objgen in seen:
                problems.append(f"{element.role} {node.objgen} is listed twice")
            seen[node.objgen] = element
            if node.P.objgen != parent.objgen:
                problems.append(f"{element.role} {node.objgen}: /P is not the element listing it")
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    content = (pages[node.Pg.objgen], int(kid))
                elif kid.get("/Type") == "/MCR":
                    content = (pages[kid.Pg.objgen], int(kid.MCID))
                elif kid.get("/Type") == "/OBJR":
                    element.annotations.append(str(kid.Obj.get("/Contents", "")))
                    continue
                else:
                    child = read(kid, node)
                    element.kids.append(child)
                    element.text += child.text
                    continue
                if content in claimed:
                    problems.append(f"content {content} is claimed twice")
                claimed[content] = node.objgen
                element.content.append(content)
                element.text += texts.get(content, "")
            return element

        top = [read(kid, root) for kid in root.K]
        for obj in document.objects:
            is_element = isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"
            if is_element and obj.objgen not in seen:
                problems.append(
                    f"{obj.S} {obj.objgen} is outside the tree, its /P claiming a parent"
                )
        for content in texts.keys() - claimed.keys():
            problems.append(f"marked content {content} ({texts[content]!r}) is not in the tree")
        numbers = list(root.ParentTree.Nums)
        parent_tree = dict(zip(numbers[::2], numbers[1::2], strict=True))
        for (page, mcid), owner in claimed.items():
            entry = parent_tree[page][mcid]
            if not isinstance(entry, pikepdf.Dictionary) or entry.objgen != owner:
                problems.append(f"the parent tree misplaces content {(page, mcid)}")
        for element in (e for t in top for e in t.walk()):
            element.text = _words(element.text)
        count = len(document.pages)
    if len(top) != 1 or top[0].role != "Document":
        problems.append(f"the tree's root holds {[t.role for t in top]}, not one Document")
    return Structure(top[0], problems, {n: _words(t) for n, t in artifacts.items()}, count)
