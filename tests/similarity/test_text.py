"""The text similarity itself: features, scores, ranking, and jieba loaded once, quietly."""

import subprocess
import sys
import tempfile
from pathlib import Path

from similarity import text
from similarity.text import Corpus, features, normalize, rank

ROOT = Path(__file__).resolve().parents[2]


def names(value: str) -> set[str]:
    return {name for name, _weight in features(value)}


def test_stop_words_are_no_features():
    found = names("企业希望分院尽快安排电梯检验，这个问题")
    assert not any(word in found for word in ("w:企业", "w:希望", "w:问题", "w:分院", "w:尽快"))
    # A stop word ends a run: no bigram joins it to its neighbours.
    assert "b:快安" not in found and "b:院尽" not in found
    assert {"w:安排", "w:电梯"} <= found


def test_names_of_one_thing_become_one_word():
    assert "w:气瓶" in names("液化石油气钢瓶送检")
    assert "w:场内机动车辆" in names("场（厂）内机动车辆使用登记")
    assert "w:12345" in names("通过12345市民服务热线反映")
    assert normalize("１２３４５热线") == "12345"


def test_domain_terms_stay_one_word():
    assert "w:压力容器" in names("压力容器定期检验")
    assert "w:起重机械" in names("起重机械检验")


def test_one_character_words_meet_through_bigrams():
    # "贵" alone is no word feature, but the bigram carries it.
    assert "b:收费" in names("收费贵") and "b:费贵" in names("收费贵")


def test_same_text_scores_one_and_unrelated_text_zero():
    corpus = Corpus(["电梯检验报告出具慢", "停车难"])
    assert abs(corpus.similarity("电梯检验报告出具慢", "电梯检验报告出具慢") - 1.0) < 1e-9
    assert corpus.similarity("电梯检验报告出具慢", "停车难") == 0.0


def test_a_score_depends_on_the_two_texts_alone():
    """The reference corpus weighs the features: fifty candidates of one problem score
    as one does (they do not make each other's words look common)."""
    same = "电梯检验报告出具慢。企业反映电梯定期检验后报告要等二十多天才能拿到。"
    query = "电梯检验完快一个月了，报告还没拿到"
    alone = rank(query, [(0, same)])
    crowd = rank(query, [(n, same) for n in range(50)])
    assert alone[0][1] == crowd[0][1] == crowd[-1][1] > text.SUGGEST_AT


def test_the_reference_corpus_holds_none_of_the_labelled_texts():
    from similarity.quality import load_pairs

    with text.REFERENCE_TEXTS.open(encoding="utf-8") as file:
        reference = {line.strip() for line in file}
    labelled = {t for pair in load_pairs() for t in (pair.text_a, pair.text_b)}
    assert len(reference) > 500
    assert not reference & labelled


def test_similarity_is_symmetric_and_deterministic():
    corpus = Corpus(["锅炉内检后报告迟迟未出", "锅炉检验报告出具不及时"])
    forward = corpus.similarity("锅炉内检后报告迟迟未出", "锅炉检验报告出具不及时")
    backward = corpus.similarity("锅炉检验报告出具不及时", "锅炉内检后报告迟迟未出")
    assert forward == backward > 0


def test_rank_puts_the_paraphrase_before_the_same_category_problem():
    issues = [
        ("vessel", "压力容器定期检验预约难。储气罐定期检验预约困难，排期一个月以上。"),
        ("elevator", "电梯检验预约难、排期长。电梯定期检验需提前一个多月预约，旺季排不上。"),
        ("parking", "分院办事大厅停车难。企业车辆找不到停车位。"),
    ]
    ranked = rank("电梯快到期了打电话约检验，说要排到下个月去", issues)
    assert ranked[0][0] == "elevator"
    assert "parking" not in [key for key, _score in ranked]


def test_rank_keeps_only_scores_at_the_threshold_and_the_limit():
    issues = [(n, f"电梯检验报告出具慢，第{n}次") for n in range(5)]
    ranked = rank("电梯检验报告出具慢", issues, threshold=0.5, limit=2)
    assert len(ranked) == 2
    assert all(score >= 0.5 for _key, score in ranked)
    # Equal scores keep the documents' order.
    assert rank("电梯检验报告", [("a", "电梯检验报告"), ("b", "电梯检验报告")])[0][0] == "a"


def test_a_text_with_nothing_meaningful_ranks_nothing():
    assert rank("，。！", [(1, "电梯检验")]) == []


def test_jieba_is_loaded_once_with_its_cache_in_the_temporary_directory():
    first = text._jieba()
    assert text._jieba() is first
    assert first.tmp_dir == tempfile.gettempdir()


def test_loading_jieba_prints_nothing():
    result = subprocess.run(
        [sys.executable, "-c", "from similarity.text import features; features('电梯检验')"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "" and result.stderr == ""
