"""Texts grouped by problem (``similarity.grouping``) and the figures measured on the
labelled issues (docs/data/theme_issues.csv): a change that makes the grouping worse fails
here. The floors are the figures in docs/themes.md less a small margin."""

import subprocess
import sys
from pathlib import Path

import pytest

from similarity.equipment import equipment_named
from similarity.grouping import GROUP_AT, Text, group_texts
from similarity.quality import grouping_figures, load_theme_issues

ROOT = Path(__file__).resolve().parents[2]

ELEVATOR_REPORT = [
    "电梯定期检验报告出具慢。企业反映电梯定期检验后报告要等二十多天才能拿到，影响使用标志更新。",
    "电梯检验报告出具太慢。物业公司反映电梯定期检验结束二十多天仍拿不到检验报告，使用标志无法更新。",
    "电梯定期检验后报告迟迟不出。小区电梯检验完二十多天报告还没出具，使用标志到期无法更换。",
]
BOILER_REPORT = (
    "锅炉定期检验报告出具慢。企业反映锅炉定期检验后报告要等二十多天才能拿到，影响使用登记。"
)


def test_texts_of_one_problem_form_one_group_in_their_order():
    texts = [Text(n, text, "效率") for n, text in enumerate(ELEVATOR_REPORT)]
    assert group_texts(texts) == [[0, 1, 2]]


def test_texts_naming_different_equipment_are_never_grouped():
    texts = [Text("elevator", ELEVATOR_REPORT[0], "效率"), Text("boiler", BOILER_REPORT, "效率")]
    assert group_texts(texts, threshold=0.01) == [["elevator"], ["boiler"]]
    assert equipment_named(ELEVATOR_REPORT[0]) == {"elevator"}
    assert equipment_named("叉车司机考证难") == {"vehicle"}
    assert equipment_named("希望提高服务效率") == frozenset()


def test_texts_of_different_blocks_are_never_grouped():
    texts = [Text(1, ELEVATOR_REPORT[0], "效率"), Text(2, ELEVATOR_REPORT[1], "收费")]
    assert group_texts(texts) == [[1], [2]]


def test_a_text_alike_to_nothing_stays_alone():
    texts = [Text(1, ELEVATOR_REPORT[0], "x"), Text(2, "检验人员收受企业红包和购物卡。", "x")]
    assert group_texts(texts) == [[1], [2]]


def test_the_labelled_issues_are_what_docs_data_says():
    issues = load_theme_issues()
    problems = {}
    for issue in issues:
        problems.setdefault(issue.problem, []).append(issue)
    recurring = [rows for rows in problems.values() if len(rows) == 3]
    assert len(issues) == 180 and len(problems) == 70 and len(recurring) == 55
    assert all(len({row.branch for row in rows}) == 3 for rows in recurring)
    assert all(len({row.category for row in rows}) == 1 for rows in problems.values())


def test_the_labelled_issues_are_not_in_the_reference_corpus():
    corpus = (ROOT / "similarity/data/reference_texts.txt").read_text(encoding="utf-8")
    assert not [issue for issue in load_theme_issues() if issue.text in corpus]


@pytest.fixture(scope="module")
def figures():
    return grouping_figures(load_theme_issues(), GROUP_AT)


def test_the_grouping_keeps_its_precision_and_recall(figures):
    assert figures.pairs.precision >= 0.80, figures
    assert figures.pairs.recall >= 0.38, figures
    assert figures.found_whole >= 13, figures
    # What would be proposed as a theme is mostly one problem.
    assert figures.proposed_pure / figures.proposed >= 0.70, figures


def test_a_lower_threshold_groups_more_and_less_precisely():
    issues = load_theme_issues()
    low = grouping_figures(issues, GROUP_AT - 0.1)
    high = grouping_figures(issues, GROUP_AT)
    assert low.groups < high.groups
    assert low.pairs.recall > high.pairs.recall
    assert low.pairs.precision < high.pairs.precision


def test_the_script_prints_the_figures():
    result = subprocess.run(
        [sys.executable, "scripts/theme_quality.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "180 labelled issues of 70 problems" in result.stdout
    assert "<- GROUP_AT" in result.stdout
    assert "precision" in result.stdout and "recall" in result.stdout
