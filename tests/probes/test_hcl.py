"""The HCL reader (hclscan's tokens, hclread's blocks and values) on Terraform text as people write it, on the
odd corners of HashiCorp's native syntax spec, on broken files (a finding at the place, never an exception),
and on hostile text (deep nesting, huge tokens)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from readiness.verify.probes import hclread
from readiness.verify.probes.hclread import Block, Broken, Expression, Value

CONFIGURATION = """# Budgets for the inference platform { this brace is in a comment
terraform {
  required_version = ">= 1.6"
}

locals {
  prefix  = "${var.team}-llm" // an interpolation: known when Terraform runs
  label   = "${format("%s-%s", var.env, "}")}"
  /* a } in a comment */ owner = "finops"
  emails = [
    "ml-platform@example.com", # the first { recipient
    "finops@example.com",
  ]
  limits = { monthly = 6000, "quarterly" : 18000
    yearly = 72000 }
  policy = <<-EOT
    {
      "Version": "2012-10-17"
    }
  EOT
}

resource "aws_budgets_budget" "llm" {
  limit_amount = "6000"
  notification {
    threshold = 80
  }
  time_unit = "MONTHLY"
  tags      = { team = "ml-platform" }
}
"""


def at(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column (1-based, in characters) of the `occurrence`-th `needle` in `text`."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def read(text: str) -> Block:
    root = hclread.read(text)
    assert isinstance(root, Block), root
    return root


def value(text: str) -> Value:
    return read(text).value("v")


def broken(text: str) -> Broken:
    found = hclread.read(text)
    assert isinstance(found, Broken), found
    return found


def test_a_configuration_reads_as_terraform_sees_it() -> None:
    root = read(CONFIGURATION)
    assert [(block.type, block.labels) for block in root.blocks] == [
        ("terraform", ()),
        ("locals", ()),
        ("resource", ("aws_budgets_budget", "llm")),
    ]
    local = root.blocks[1]
    assert {name: attribute.value for name, attribute in local.attributes.items()} == {
        "prefix": Expression('"${var.team}-llm"'),
        "label": Expression('"${format("%s-%s", var.env, "}")}"'),
        "owner": "finops",
        "emails": ("ml-platform@example.com", "finops@example.com"),
        "limits": {"monthly": Decimal(6000), "quarterly": Decimal(18000), "yearly": Decimal(72000)},
        "policy": '{\n  "Version": "2012-10-17"\n}\n',
    }
    assert local.attributes["owner"].at == at(CONFIGURATION, '"finops"')
    assert local.attributes["limits"].at == at(CONFIGURATION, "{ monthly")
    assert local.attributes["policy"].at == at(CONFIGURATION, "<<-EOT")


def test_attributes_after_a_nested_block_belong_to_the_outer_block() -> None:
    budget = read(CONFIGURATION).children("resource")[0]
    assert list(budget.attributes) == ["limit_amount", "time_unit", "tags"]
    assert budget.value("tags") == {"team": "ml-platform"}
    assert budget.attributes["time_unit"].at == at(CONFIGURATION, '"MONTHLY"')
    [notification] = budget.children("notification")
    assert notification.labels == () and notification.at == at(CONFIGURATION, "notification {")
    assert notification.value("threshold") == Decimal(80)
    assert budget.label_at == (at(CONFIGURATION, '"aws_budgets_budget"'), at(CONFIGURATION, '"llm"'))


def test_crlf_line_ends_read_the_same_at_the_same_places() -> None:
    windows = CONFIGURATION.replace("\n", "\r\n")
    unix, crlf = read(CONFIGURATION), read(windows)
    for one, other in zip(unix.blocks, crlf.blocks, strict=True):
        assert (one.type, one.labels, one.at, one.label_at) == (other.type, other.labels, other.at, other.label_at)
        for name, attribute in one.attributes.items():
            assert other.attributes[name].at == attribute.at
            if name != "policy":
                assert other.attributes[name].value == attribute.value
    # A heredoc keeps its line ends as written, as HCL does.
    assert crlf.blocks[1].value("policy") == '{\r\n  "Version": "2012-10-17"\r\n}\r\n'


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"plain"', "plain"),
        ('""', ""),
        (r'"tab\there \"quoted\" back\\slash"', 'tab\there "quoted" back\\slash'),
        (r'"line\nbreak\r"', "line\nbreak\r"),
        (r'"\u00e9t\u00E9 \U0001F600"', "été \U0001f600"),
        ('"$${not.a.template} %%{ not a directive }"', "${not.a.template} %{ not a directive }"),
        ('"$ and % alone, $$ and %%"', "$ and % alone, $$ and %%"),
        ('"a\u0303"', "\u00e3"),  # NFC, as Terraform's strings are
        ("5", Decimal(5)),
        ("-5", Decimal(-5)),
        ("3.25", Decimal("3.25")),
        ("1e3", Decimal(1000)),
        ("1.5E-2", Decimal("0.015")),
        (
            "3.14159265358979323846264338327950288419716939937510582097494459",
            Decimal("3.14159265358979323846264338327950288419716939937510582097494459"),
        ),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[]", ()),
        ('[1, "two", [true], {}]', (Decimal(1), "two", (True,), {})),
        ("[\n  1,\n\n  2,\n]", (Decimal(1), Decimal(2))),
        ('{a = 1, "b c" : 2}', {"a": Decimal(1), "b c": Decimal(2)}),
        ("{\n  a = 1\n  b = [\n    2,\n  ]\n}", {"a": Decimal(1), "b": (Decimal(2),)}),
        ("{a = 1, a = 2}", {"a": Decimal(2)}),
    ],
)
def test_literals_read_as_values(written: str, expected: Value) -> None:
    assert value(f"v = {written}\n") == expected


@pytest.mark.parametrize(
    "written",
    [
        "var.monthly_limit",
        "local.limits.monthly",
        "aws_sns_topic.alerts.arn",
        "tostring(local.limit)",
        "max(\n  var.a,\n  var.b,\n)",
        "provider::aws::arn_parse(var.arn)",
        'var.env == "prod" ? 6000 : 500',
        '[for s in var.emails : lower(s) if s != ""]',
        "{for k, v in var.limits : k => v...}",
        "6000 * 1.2",
        "-var.x",
        "!var.enabled",
        "var.list[0]",
        "var.subnets[*].id",
        "(6000)",
        '"${var.limit}"',
        '"%{if var.on}on%{else}off%{endif}"',
        '"${~ var.name ~}"',
        "<<EOT\nlimit ${var.x}\nEOT",
        "true ? 1 : 2",
        "null == var.x",
    ],
)
def test_anything_to_evaluate_is_an_expression_with_its_text(written: str) -> None:
    assert value(f"v = {written}\n") == Expression(written)


def test_collections_keep_the_literals_around_an_expression() -> None:
    assert value('v = [var.a ? "x" : "y", "z"]\n') == (Expression('var.a ? "x" : "y"'), "z")
    assert value("v = {a = var.a, b = 2}\n") == {"a": Expression("var.a"), "b": Decimal(2)}
    # A key computed from an expression is known only when Terraform runs: so is the whole object.
    assert value("v = {(var.k) = 1, b = 2}\n") == Expression("{(var.k) = 1, b = 2}")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("<<EOT\n  kept\n    as is\nEOT", "  kept\n    as is\n"),
        ("<<-EOT\n    four\n      six\n    four\n    EOT", "four\n  six\nfour\n"),
        ("<<-EOT\n    a\n\n    b\n  EOT", "a\n\nb\n"),  # a blank line takes no part in the indentation
        ("<<-EOT\n\tone tab\n  two spaces\n  EOT", "one tab\n two spaces\n"),  # a tab is one character
        ("<<EOT\nEOT", ""),
        ("<<EOT\n  EOT is not alone on this line\n  EOT", "  EOT is not alone on this line\n"),
        ("<<EOT\n$${literal} %%{literal} \\n\nEOT", "${literal} %{literal} \\n\n"),
        ("<<END_OF_POLICY\n{}\n END_OF_POLICY ", "{}\n"),
    ],
)
def test_heredocs(written: str, expected: str) -> None:
    assert value(f"v = {written}\nafter = 1\n") == expected


def test_blocks_take_names_or_strings_as_labels_and_may_be_one_line() -> None:
    root = read('provider aws { region = "eu-west-1" }\nlifecycle {}\nbackend "s3" { }\n')
    assert [(block.type, block.labels) for block in root.blocks] == [
        ("provider", ("aws",)),
        ("lifecycle", ()),
        ("backend", ("s3",)),
    ]
    assert root.blocks[0].value("region") == "eu-west-1"
    assert root.blocks[0].label_at == ((1, 10),)


def test_comments_and_line_breaks_where_they_may_stand() -> None:
    text = "a = 1 # one\nb = 2 // two\nc = /* three */ 3\n/* a\nblock { of lines }\n*/\nd = [ # list\n  4, // four\n]\n"
    assert {name: attribute.value for name, attribute in read(text).attributes.items()} == {
        "a": Decimal(1),
        "b": Decimal(2),
        "c": Decimal(3),
        "d": (Decimal(4),),
    }


def test_nested_interpolation_keeps_the_string_whole() -> None:
    text = 'v = "${format("%s-%s", var.x, "${lower("}")}")}"\nw = "after"\n'
    root = read(text)
    assert root.value("v") == Expression('"${format("%s-%s", var.x, "${lower("}")}")}"')
    assert root.value("w") == "after" and root.attributes["w"].at == (2, 5)


@pytest.mark.parametrize(
    ("text", "place", "says"),
    [
        ('resource "a" "b" {\n  x = [1,\n', (3, 1), "the file ends inside the list opened at 2:7"),
        ("a {\n  b {\n", (3, 1), "the file ends inside the block or object opened at 2:5"),
        ('x = "not closed\ny = 1\n', (1, 16), "the string opened at 1:5 is not closed on its line"),
        ('x = "a"\ny = "end', (2, 9), "the file ends inside the string opened at 2:5"),
        ("x = <<EOT\nno marker\n", (3, 1), "the file ends inside the heredoc opened at 1:5"),
        ("/* open\nx = 1\n", (3, 1), "the file ends inside the comment opened at 1:1"),
        ('x = "\\q"\n', (1, 6), "this backslash starts no escape"),
        ('x = "\\u12"\n', (1, 6), "this backslash starts no escape"),
        ('x = "\\ud800"\n', (1, 6), "\\ud800 is not a character"),
        ('x = "\\U00110000"\n', (1, 6), "\\U00110000 is not a character"),
        ("x = 1, y = 2\n", (1, 6), "an attribute ends with its line"),
        ("x = [1 2]\n", (1, 8), "an operator, a comma or the end of the value is expected here"),
        ("x = {a = 1 b = 2}\n", (1, 12), "an operator, a comma or the end of the value is expected here"),
        ("x = {a}\n", (1, 7), "= or : is expected after an object's key"),
        ("x = [1, = ]\n", (1, 9), "a value is expected here"),
        ("x =\n", (1, 4), "a value is expected here"),
        ('resource "a" "b"\n{\n}\n', (1, 17), "a block's labels are followed by { on the same line"),
        ('resource "a-${var.x}" {\n}\n', (1, 13), "a block's label is a plain string"),
        ("a { b = 1, c = 2 }\n", (1, 10), "a block opened and closed on one line holds a single attribute, then }"),
        ("a { d {} }\n", (1, 5), "a block opened and closed on one line holds a single attribute"),
        ("a {\n} b = 1\n", (2, 3), "a block ends with its line"),
        ("limit = 1\nlimit = 2\n", (2, 1), "limit is set a second time in this block (first at 1:9)"),
        ("}\n", (1, 1), "this } closes nothing"),
        ("x = { a = 1 ~}\n", (1, 13), "this ~} closes nothing"),
        ("x = (1]\n", (1, 7), "this ] comes before the parenthesis opened at 1:5 is closed"),
        ("x = 'single'\n", (1, 5), 'the character "\'" has no meaning in HCL here'),
        ("x = 1.2.3\n", (1, 5), "1.2.3 is not a number"),
        ("x = 1e99999999999999999999\n", (1, 5), "this number is beyond what Terraform can hold"),
        ('x = "caf\udce9"\n', (1, 9), "the file is not UTF-8 text here"),
        ("x = 1\ry = 2\n", (1, 6), "the character U+000D has no meaning in HCL here"),
        ('{"resource": {}}\n', (1, 1), "an attribute (name = value) or a block is expected here"),
        ("just some words\n", (1, 16), "a block's labels are followed by { on the same line"),
    ],
)
def test_broken_text_is_a_place_and_a_reason(text: str, place: tuple[int, int], says: str) -> None:
    found = broken(text)
    assert ((found.line, found.column), found.message[: len(says)]) == (place, says), found


def test_a_byte_order_mark_is_stepped_over() -> None:
    assert read("\ufeffa = 1\n").attributes["a"].at == (1, 6)


def test_unicode_identifiers_and_dashes() -> None:
    root = read('größe = 1\nzone-name = "eu"\nlocals { café-au-lait = true }\n')
    assert root.value("größe") == Decimal(1) and root.value("zone-name") == "eu"
    assert root.blocks[0].value("café-au-lait") is True


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("{" * 100_000, (1, 65)),
        ("x = " + "[" * 100_000, (1, 69)),
        ("x = " + '"${' * 50_000, (1, 101)),  # a string and a sequence: two levels each
        ('resource "a" "b" {\n' * 2_000, (65, 10)),  # a label's string is a level too
        ("x = " + "(" * 40 + "[" * 40, (1, 69)),
    ],
)
def test_nesting_past_the_bound_is_refused_where_it_goes_deeper(text: str, place: tuple[int, int]) -> None:
    found = broken(text)
    assert ((found.line, found.column), found.message) == (place, "nesting is deeper than 64 levels")


def test_nesting_up_to_the_bound_is_read() -> None:
    assert value("v = " + "[" * 63 + "1" + "]" * 63 + "\n") == _nested(63)
    assert read("a {\n" * 64 + "}\n" * 64).blocks[0].type == "a"


def _nested(depth: int) -> Value:
    found: Value = Decimal(1)
    for _ in range(depth):
        found = (found,)
    return found


def test_huge_tokens_and_long_chains_are_read_without_recursion() -> None:
    # Chains far longer than Python's recursion limit: a reader that recursed once per operator would fail.
    assert value('v = "' + "a" * 1_000_000 + '"\n') == "a" * 1_000_000
    assert value("v = " + "9" * 100_000 + "\n") == Decimal("9" * 100_000)
    assert value("v = " + "!" * 20_000 + "x\n") == Expression("!" * 20_000 + "x")
    assert value("v = " + "-" * 20_000 + "x\n") == Expression("-" * 20_000 + "x")
    assert value("v = " + " + ".join(["1"] * 20_000) + "\n") == Expression(" + ".join(["1"] * 20_000))
    assert value("v = [" + "\n" * 20_000 + "1]\n") == (Decimal(1),)
    assert len(read("".join(f"a{n} = {n}\n" for n in range(10_000))).attributes) == 10_000
    assert read("x = <<EOT\n" + "line\n" * 20_000 + "EOT\n").value("x") == "line\n" * 20_000


@pytest.mark.parametrize(
    "text", ["a" * 100_000 + " ?\n", ("a" * 100_000 + " = 1\n") * 2, "a = " + "1." * 100_000 + "1\n"]
)
def test_a_long_name_in_a_message_is_cut(text: str) -> None:
    assert len(broken(text).message) < 120


# A renderer for the round trip: every string written as a quoted template with the spec's escapes.
def _quoted(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out).replace("${", "$${").replace("%{", "%%{") + '"'


def _written(data: Value) -> str:
    if isinstance(data, str):
        return _quoted(data)
    if isinstance(data, bool):
        return "true" if data else "false"
    if data is None:
        return "null"
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, tuple):
        return "[" + ", ".join(_written(item) for item in data) + "]"
    assert isinstance(data, dict)
    return "{\n" + "".join(f"{_quoted(key)} = {_written(item)}\n" for key, item in data.items()) + "}"


# Terraform's strings are NFC-normalised: so are the ones generated, to compare with what is read back.
_TEXT = st.text(st.characters(codec="utf-8"), max_size=20).map(lambda text: unicodedata.normalize("NFC", text))
_LITERALS = st.recursive(
    _TEXT | st.decimals(allow_nan=False, allow_infinity=False, places=3) | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4).map(tuple) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(derandomize=True, deadline=None, max_examples=300)
@given(_LITERALS)
@example('${"}"} %{if} \\ "\x00\x1b\u2028')
@example({"for": (Decimal("1.5"), None)})
def test_any_literal_written_as_hcl_reads_back_the_same(data: Value) -> None:
    assert value(f"v = {_written(data)}\n") == data


@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.text(alphabet=st.sampled_from(list('ab =\n"{}[]()$%\\<-EOT#/*:,.1~\r\t\u00e9')), max_size=60))
def test_any_text_reads_or_is_broken_at_a_place_inside_it(text: str) -> None:
    found = hclread.read(text)
    if isinstance(found, Broken):
        lines = text.split("\n")
        assert 1 <= found.line <= len(lines)
        assert 1 <= found.column <= len(lines[found.line - 1]) + 1
        assert found.message


def test_reading_terraform_loads_no_parser_tables_from_disk() -> None:
    # Parser generators keep their tables pickled beside their own code; the reader must need none of them.
    code = (
        "import sys\n"
        "from readiness.verify.probes import terraform\n"
        "from readiness.verify.probes.common import Artifact\n"
        "terraform.probe(Artifact('b.tf', 'resource \"aws_budgets_budget\" \"x\" {\\n}\\n'), {})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('hcl2', 'lark')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
