"""A real OpenID provider for the single sign-on tests: scripts/test-oidc-provider.mjs (the npm
package oidc-provider) on 127.0.0.1, on a free port in 9400-9499, started once for the test
session when a test first needs it and stopped at its end.

The people it signs in, and the addresses it may send them back to, are in a JSON file that the
`oidc` fixture writes afresh for each test, and a test may rewrite (`set_user`) between sign-ins.
Their roles are app-role values as an Entra app registration might name them, mapped to the
office's roles by OIDC_ROLE_MAP; people are known by their `oid`, as with Entra.
"""

import copy
import json
import os
import random
import re
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.csp import CSP

from responses import roles

SCRIPT = Path(django_settings.BASE_DIR) / "scripts" / "test-oidc-provider.mjs"
PORTS = range(9400, 9500)
CLIENT_ID = "pfcc-tracker"
CLIENT_SECRET = "pfcc-test-secret"
TEST_SERVER = "http://testserver"

ROLE_MAP = {
    "Tracker.Drafter": [roles.DRAFTER],
    "Tracker.Reviewer": [roles.REVIEWER],
    "Tracker.Publisher": [roles.PUBLISHER],
    "Tracker.Manager": [roles.REVIEWER, roles.PUBLISHER],
    "Tracker.Administrator": [roles.ADMINISTRATOR],
}

USERS = {
    "dana": {
        "name": "Dana Drafter",
        "given_name": "Dana",
        "family_name": "Drafter",
        "email": "dana.drafter@opfcc.example",
        "roles": ["Tracker.Drafter"],
    },
    "rob": {
        "name": "Rob Reviewer",
        "given_name": "Rob",
        "family_name": "Reviewer",
        "email": "rob.reviewer@opfcc.example",
        "roles": ["Tracker.Reviewer"],
    },
    "ada": {
        "name": "Ada Administrator",
        "email": "ada.administrator@opfcc.example",
        "roles": ["Tracker.Administrator"],
    },
    # Signed in at the provider, with roles in other applications only.
    "vic": {
        "name": "Vic Visitor",
        "email": "vic.visitor@opfcc.example",
        "roles": ["Payroll.User"],
    },
}


class OpenIDProvider:
    def __init__(self, issuer: str, state_path: Path):
        self.issuer = issuer
        self.state_path = state_path
        self.reset()

    def reset(self) -> None:
        self.state = {
            "users": copy.deepcopy(USERS),
            "redirect_uris": [TEST_SERVER + reverse("sso-callback")],
            "post_logout_redirect_uris": [TEST_SERVER + reverse("public-home")],
        }
        self._write()

    def set_user(self, login: str, **claims) -> None:
        """Adds someone, or changes their claims: their next sign-in carries them."""
        self.state["users"][login] = {**self.state["users"].get(login, {}), **claims}
        self._write()

    def allow_site(self, base_url: str) -> None:
        """Lets the provider send people back to another site, say a live server."""
        self.state["redirect_uris"].append(base_url + reverse("sso-callback"))
        self.state["post_logout_redirect_uris"].append(base_url + reverse("public-home"))
        self._write()

    def _write(self) -> None:
        # Whole or not at all: the provider may read it at any moment.
        partial = self.state_path.with_suffix(".partial")
        partial.write_text(json.dumps(self.state))
        os.replace(partial, self.state_path)

    def authorize(self, authorization_url: str, login: str) -> str:
        """Signs in as `login` on the provider's own pages, from the address our start view sent
        the browser to; returns the address the provider sends the browser back to."""
        browser = requests.Session()
        page = browser.get(authorization_url, allow_redirects=False)
        page = browser.get(urljoin(page.url, page.headers["location"]), allow_redirects=False)
        action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
        answer = browser.post(
            urljoin(page.url, action),
            data={"prompt": "login", "login": login, "password": "any password"},
            allow_redirects=False,
        )
        location = urljoin(answer.url, answer.headers["location"])
        while location.startswith(self.issuer):
            answer = browser.get(location, allow_redirects=False)
            location = urljoin(answer.url, answer.headers["location"])
        return location

    def sign_in(self, client, login: str, start: str | None = None):
        """The whole sign-in with the Django test client; returns our callback's response."""
        started = client.get(start or reverse("sso-start"))
        assert started.status_code == 302, started
        return client.get(self.authorize(started["Location"], login))

    def id_token(self, client, login: str) -> tuple[str, str]:
        """A real ID token for `login`, and the nonce our start view asked for, from the code
        the provider sends back, exchanged as the library does."""
        started = client.get(reverse("sso-start"))
        query = dict(parse_qsl(urlsplit(self.authorize(started["Location"], login)).query))
        sent = client.session["oidc_states"][query["state"]]
        tokens = requests.post(
            self.issuer + "/token",
            data={
                "grant_type": "authorization_code",
                "code": query["code"],
                "redirect_uri": TEST_SERVER + reverse("sso-callback"),
                "client_id": django_settings.OIDC_RP_CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "code_verifier": sent["code_verifier"],
            },
            timeout=10,
        )
        tokens.raise_for_status()
        return tokens.json()["id_token"], sent["nonce"]


def _start(port: int, state_path: Path, log_path: Path) -> subprocess.Popen | None:
    """The provider on `port`, or None when that port turns out to be taken."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            ["node", str(SCRIPT), "--port", str(port), "--state", str(state_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=django_settings.BASE_DIR,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            requests.get(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"The test OpenID provider did not start: see {log_path}")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    state_path, log_path = folder / "state.json", folder / "provider.log"
    provider = OpenIDProvider("", state_path)
    # Another test run may be choosing at the same time: try free-looking ports at random,
    # and the next when the provider finds its port taken after all.
    for port in random.sample(PORTS, len(PORTS)):
        if _free(port) and (process := _start(port, state_path, log_path)):
            break
    else:
        raise RuntimeError(f"No free port for the test OpenID provider in {PORTS}")
    provider.issuer = f"http://127.0.0.1:{port}"
    yield provider
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def oidc(oidc_provider, settings):
    """Signing in with both passwords and the test provider, as the README's Entra set-up."""
    oidc_provider.reset()
    settings.AUTH_MODE = "both"
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_SUBJECT_CLAIM = "oid"
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [CSP.SELF, oidc_provider.issuer],
    }
    yield oidc_provider
    cache.clear()
