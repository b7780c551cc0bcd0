import re
from pathlib import Path

import pytest

TEMPLATES = sorted(Path(__file__).resolve().parents[2].glob("**/templates/**/*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.name))
def test_templates_have_no_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert " style=" not in text and "<style" not in text, "inline style"
    assert re.findall(r"<script[^>]*>", text) == re.findall(
        r"<script[^>]*nonce=\"\{\{ csp_nonce \}\}\"[^>]*>", text
    ), "a <script> without the CSP nonce"


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_with_a_nonce(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    found = re.search(r"'nonce-([^']+)'", policy)
    assert found, policy
    nonce = found.group(1)
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert f'nonce="{nonce}"' in response.content.decode()
