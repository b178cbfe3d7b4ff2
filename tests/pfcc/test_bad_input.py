"""Generated bad input for every URL and every form, as every persona: never a server error, and
a refused form changes nothing.

Three generated tests walk the catalogue (tests/catalogue.py), so a new URL or form is covered as
soon as it exists:

- path parameters: each URL pattern of the URLconf, its parameters out of range or of the wrong
  type;
- query parameters: each page with the parameters of every filter form (pfcc.filters) and of
  every GET form found on the site;
- forms: each form found by GETting every page as the personas it lets in, posted with its fields
  kept, broken, left out or repeated (a POST-only page takes the forms that post to it).

A refused request (4xx, or a form shown again with errors) must leave the database as it was.
Each request runs in a transaction rolled back afterwards, so every example sees the same world.
The test client raises a view's exception instead of rendering the 500 page, and every streamed
download is read to its end. Example counts come from the Hypothesis profile (tests/conftest.py).
"""

import dataclasses
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import Resolver404, get_resolver, resolve
from hypothesis import given
from hypothesis import strategies as st

from pfcc.filters import FilterForm
from tests.catalogue import ANONYMOUS, PAGES, PERSONAS, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FORM_TYPE = "application/x-www-form-urlencoded"
# Written by every request or every failed sign-in by design, whatever else is refused.
UNTRACKED_APPS = {"sessions", "axes"}
UNTRACKED_MODELS = {"pfcc.SignInRecord"}

# Values a person could send, each standing for a kind of bad input; every parameter and field
# gets each of them (see _sweep) before the generated ones.
READABLE = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "%",
    "\\",
    "{{ 7*7 }}",
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "1e309",
    "NaN",
    "²",
    "١٢",
    " 7 ",
    "2025-02-30",
    "0001-01-01",
    "10000-01-01",
    "31/12/99999",
    "true",
    "[]",
    "x" * 100_000,
]
# Refused at the edge (pfcc.text) whatever the parameter: one of them in a request stops it.
UNREADABLE = ["a\x00b", "\x0b", "x\udfffy"]
SAMPLES = READABLE + UNREADABLE
CHARACTERS = st.one_of(
    st.characters(),
    st.characters(max_codepoint=0x1F),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]),
)
BAD_VALUES = st.one_of(
    st.sampled_from(SAMPLES),
    st.text(CHARACTERS, max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: f"{d.day}/{d.month}/{d.year}"),
    st.text(max_size=3).map(lambda s: s * 4_000),
)
# What a browser might be given instead of a document: markup, a program, nothing, noise.
BAD_FILES = st.builds(
    SimpleUploadedFile,
    st.sampled_from(["page.html", "logo.svg", "tool.exe", "plan.pdf", "noname", "notes.txt"]),
    st.one_of(
        st.sampled_from(
            [b"<html><script>alert(1)</script>", b"<svg onload='alert(1)'/>", b"MZ\x90\x00"]
        ),
        st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04broken", b"GIF89a"]),
        st.binary(max_size=64),
    ),
)


def _bytes(value: str) -> bytes:
    # A lone surrogate travels as the bytes that would encode it, which are not UTF-8.
    return value.encode("utf-8", "surrogatepass")


def _quote(value: str) -> str:
    return quote(_bytes(value), safe="")


# --- The site's forms, as a browser finds them ---


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str
    options: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Form:
    page: str
    persona: str
    action: str
    method: str
    multipart: bool
    fields: list[Field]


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[dict] = []
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": urljoin(self.page_path, attrs.get("action") or self.page_path),
                    "method": attrs.get("method", "get").upper(),
                    "multipart": attrs.get("enctype") == "multipart/form-data",
                    "fields": [],
                }
            )
        elif not self.forms or "name" not in attrs:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                fields.append(Field(attrs["name"], kind, "", [attrs.get("value", "on")]))
            else:
                fields.append(Field(attrs["name"], kind, attrs.get("value", "")))
        elif tag == "button":
            fields.append(Field(attrs["name"], "button", attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea", "")
            fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(attrs["name"], "select", "")
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select.value = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).url_name
    except Resolver404:
        return None


def _discover_forms(world, clients) -> tuple[list[Form], set[str]]:
    """Every form on every page, as each persona the page lets in sees it; and which pages
    render a PDF."""
    forms, pdfs = [], set()
    for page in PAGES:
        if page.method != "GET":
            continue
        path = page.path(world)
        for persona in sorted(page.who):
            response = clients[persona]().get(path)
            if response["Content-Type"] == "application/pdf" and not response.streaming:
                pdfs.add(str(page))
            if response.streaming or not response["Content-Type"].startswith("text/html"):
                break  # a download: the same for everyone
            parser = _FormParser(path)
            parser.feed(response.content.decode())
            forms += [Form(str(page), persona, **found) for found in parser.forms]
    return forms, pdfs


# --- The world, built once for the module; each request rolled back ---


@dataclasses.dataclass
class Site:
    world: object
    clients: dict  # persona -> a function making a client signed in as them
    forms: list[Form]
    pdfs: set[str]  # pages rendering a PDF: seconds a request, so generated values only
    baseline: dict
    media: object


def _tracked_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in UNTRACKED_APPS and m._meta.label not in UNTRACKED_MODELS
    ]


def _snapshot() -> dict:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in _tracked_models()
    }


def _client_factory(session_key: str | None):
    def make() -> Client:
        client = Client()
        if session_key:
            client.cookies["sessionid"] = session_key
        return client

    return make


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        make_password("warm up the hasher setting")
        world = build_world()
        clients = {ANONYMOUS: _client_factory(None)}
        for persona, user in world.users.items():
            client = Client()
            client.force_login(user)
            clients[persona] = _client_factory(client.cookies["sessionid"].value)
        forms, pdfs = _discover_forms(world, clients)
        yield Site(world, clients, forms, pdfs, _snapshot(), media)
        transaction.set_rollback(True)


@pytest.fixture
def site_settings(site, settings):
    settings.MEDIA_ROOT = site.media
    return site


def _send(site: Site, persona: str, method: str, path: str, body=b"", content_type=FORM_TYPE):
    """One request, rolled back; fails on a server error, or on a refusal that changed data."""
    with transaction.atomic():
        client = site.clients[persona]()
        response = client.generic(method, path, body, content_type=content_type)
        status = response.status_code
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert status < 500, f"{method} {path[:200]} as {persona}: {status}"
        shown_again = status == 200 and b"govuk-error-summary" in content
        if method == "POST" and (status >= 400 or shown_again):
            assert _snapshot() == site.baseline, f"refused {method} {path[:200]} changed data"
        transaction.set_rollback(True)


def _insider(page) -> str:
    """A persona the page lets in, signed in if any is: one its view runs for."""
    return sorted(page.who - {ANONYMOUS})[0] if page.who - {ANONYMOUS} else ANONYMOUS


def _sweep(names: list[str]) -> list[list[tuple[str, str]]]:
    """Requests giving every name every readable sample, each request a different sample to
    each name (a Latin square: len(READABLE) requests, however many names); then each
    unreadable sample alone, as it stops the request at the edge."""
    if not names:
        return []
    rows = [
        [(name, READABLE[(i + k) % len(READABLE)]) for i, name in enumerate(names)]
        for k in range(len(READABLE))
    ]
    return rows + [[(names[0], bad)] for bad in UNREADABLE]


def _personas(page) -> st.SearchStrategy[str]:
    """Mostly those the page lets in, so its view runs; sometimes anyone."""
    return st.one_of(st.sampled_from(sorted(page.who)), st.sampled_from(PERSONAS))


# --- 1. Path parameters ---


def _route(name: str) -> tuple[str, list[str]]:
    [(bits, _pattern, _defaults, _converters)] = get_resolver().reverse_dict.getlist(name)
    return bits[0]


PATTERN_PAGES = {page.name: page for page in reversed(PAGES) if _route(page.name)[1]}


@pytest.mark.parametrize("name", sorted(PATTERN_PAGES))
def test_no_path_parameter_gives_a_server_error(site_settings, name):
    page = PATTERN_PAGES[name]
    route, params = _route(name)
    valid = [str(arg) for arg in page.args(site_settings.world)]

    @given(
        persona=_personas(page),
        replaced=st.lists(BAD_VALUES, min_size=len(params), max_size=len(params)),
        keep=st.lists(st.booleans(), min_size=len(params), max_size=len(params)),
    )
    def check(persona, replaced, keep):
        values = [v if k else bad for v, bad, k in zip(valid, replaced, keep, strict=True)]
        send(persona, dict(zip(params, values, strict=True)))

    def send(persona, values: dict[str, str]):
        path = "/" + route % {
            p: _quote(values.get(p, v)) for p, v in zip(params, valid, strict=True)
        }
        _send(site_settings, persona, page.method, path)

    for row in _sweep(params):
        send(_insider(page), dict(row))
    check()


# --- 2. Query parameters ---


def _filter_forms(base=FilterForm):
    for form in base.__subclasses__():
        yield form
        yield from _filter_forms(form)


def _query_names(site: Site) -> list[str]:
    names = {name for form in _filter_forms() for name in form.base_fields}
    names |= {f.name for form in site.forms if form.method == "GET" for f in form.fields}
    return sorted(names | {"page"})


# One page per URL pattern: pages of one view read the same parameters.
@pytest.mark.parametrize("entry", list({page.name: page for page in PAGES}.values()), ids=str)
def test_no_query_parameter_gives_a_server_error(site_settings, entry):
    page = entry
    names = st.one_of(st.sampled_from(_query_names(site_settings)), st.text(CHARACTERS, max_size=8))
    pairs = st.lists(st.tuples(names, BAD_VALUES), min_size=1, max_size=5)

    @given(persona=_personas(page), pairs=pairs)
    def check(persona, pairs):
        send(persona, pairs)

    def send(persona, pairs):
        query = "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)
        path = page.path(site_settings.world)
        _send(site_settings, persona, page.method, f"{path}{'&' if '?' in path else '?'}{query}")

    # A PDF is made from the same filter form as its page, which the sweep covers.
    if str(page) not in site_settings.pdfs:
        for row in _sweep(_query_names(site_settings)):
            send(_insider(page), row)
    check()


# --- 3. Forms ---


def _any_form(site: Site, page) -> list[Form]:
    """For a POST-only page no form in the world's state posts to (one shown only in another
    state, or after another post): every field name the site's forms use."""
    if page.method != "POST":
        return []
    names = sorted({f.name for form in site.forms for f in form.fields})
    fields = [Field(name, "text", "") for name in names]
    return [Form("(any)", "", page.path(site.world), "POST", False, fields)]


def _forms_to(site: Site, page) -> list[Form]:
    """The forms that post to `page`: to its exact address, or else to its URL pattern."""
    posting = [form for form in site.forms if form.method == "POST"]
    path = page.path(site.world)
    exact = [form for form in posting if urlsplit(form.action).path == urlsplit(path).path]
    return exact or [form for form in posting if _url_name(form.action) == page.name]


@st.composite
def _filled(draw, form: Form) -> list[tuple[str, object]]:
    """The form's fields, each kept, broken, left out or repeated."""
    pairs = []
    for field in form.fields:
        if field.name == "csrfmiddlewaretoken":
            continue
        how = draw(st.sampled_from(["keep", "keep", "bad", "bad", "leave out", "repeat"]))
        if how == "leave out":
            continue
        if field.kind == "file":
            value = draw(st.one_of(st.none(), BAD_FILES))
        elif how == "keep":
            value = draw(st.sampled_from(field.options)) if field.options else field.value
        else:
            value = draw(BAD_VALUES)
        if value is not None:
            pairs += [(field.name, value)] * (2 if how == "repeat" else 1)
    extra = draw(st.lists(st.tuples(st.text(CHARACTERS, max_size=8), BAD_VALUES), max_size=2))
    return pairs + extra


def _body(pairs, multipart: bool) -> tuple[bytes, str]:
    if not multipart:
        body = "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)
        return body.encode(), FORM_TYPE
    data: dict[str, list] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(
            value if isinstance(value, SimpleUploadedFile) else _bytes(value)
        )
    return encode_multipart(
        BOUNDARY, {_bytes(k).decode("utf-8", "replace"): v for k, v in data.items()}
    ), MULTIPART_CONTENT


@pytest.mark.parametrize("entry", PAGES, ids=str)
def test_no_form_gives_a_server_error_or_changes_data_when_refused(site_settings, entry):
    page = entry
    forms = _forms_to(site_settings, page) or _any_form(site_settings, page)
    if not forms:
        pytest.skip(f"{page} takes no posts")
    path = page.path(site_settings.world)

    @given(
        form=st.sampled_from(forms),
        persona=_personas(page),
        multipart=st.booleans(),
        data=st.data(),
    )
    def check(form, persona, multipart, data):
        send(form, persona, multipart, data.draw(_filled(form)))

    def send(form, persona, multipart, pairs):
        has_file = any(isinstance(value, SimpleUploadedFile) for _, value in pairs)
        body, content_type = _body(pairs, form.multipart or multipart or has_file)
        _send(site_settings, persona, "POST", path, body, content_type)

    for form in forms:
        names = [
            f.name for f in form.fields if f.name != "csrfmiddlewaretoken" and f.kind != "file"
        ]
        for row in _sweep(sorted(set(names))):
            send(form, _insider(page), False, row)
    check()
