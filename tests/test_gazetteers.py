"""The benchmark and metric gazetteers: the files, their quality, and the build behind them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.gazetteers import FILES, SourceError, build
from extract.gazetteers.build import base_name, classify, key_of
from extract.gazetteers.curated import load_facts
from extract.gazetteers.names import (
    detokenize,
    is_acronym_of,
    restore_underscored,
    split_parenthetical,
    strip_generic,
    variants,
)
from extract.nlp import Pipeline, extract_text
from extract.nlp.benchmarks import Gazetteer, canonical_key
from extract.nlp.rules import load_gazetteer

from .conftest import ROOT, SHARED, need_shared

GAZETTEERS = ROOT / "pipelines" / "daily_papers" / "gazetteers"
ANNOTATED = SHARED / "annotated"

#: Words an abstract uses in their ordinary sense: a case-insensitive matcher that
#: listed any of them would fire all the time.
COMMON_WORDS = {
    "a", "all", "answer", "art", "average", "bench", "benchmark", "birds", "books",
    "cars", "challenge", "chat", "code", "corpus", "data", "dataset", "datasets", "dev",
    "english", "example", "face", "faces", "general", "human", "image", "images", "language",
    "market", "math", "mathematics", "metrics", "model", "news", "photo", "question", "race",
    "reasoning", "restricted", "results", "score", "set", "spider", "supervised", "task",
    "test", "text", "time", "train", "training", "treebank", "video", "web", "wikipedia",
    "words",
}  # fmt: skip


def _entries(name: str) -> list[tuple[str, list[str]]]:
    return load_gazetteer(GAZETTEERS / name)


def _names(name: str) -> list[str]:
    """Every name of a file, canonicals and aliases (not the metric direction cell)."""
    out = []
    for canonical, rest in _entries(name):
        if name.startswith("metrics"):
            rest = [r for r in rest if r not in ("higher", "lower")]
        out += [canonical, *rest]
    return out


def _metrics(name: str = "metrics.tsv") -> dict[str, tuple[str, str | None]]:
    """Lower-cased name -> (canonical, direction), read the way the claims stage reads it."""
    table: dict[str, tuple[str, str | None]] = {}
    for canonical, rest in _entries(name):
        direction = rest[0] if rest and rest[0] in ("higher", "lower") else None
        for alias in [canonical, *rest[1 if direction else 0 :]]:
            table.setdefault(alias.lower(), (canonical, direction))
    return table


# --- the files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_files_load_and_say_where_they_come_from(name: str) -> None:
    entries = _entries(name)
    assert entries, f"{name} is empty"
    header = [
        line
        for line in (GAZETTEERS / name).read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    text = "\n".join(header)
    assert "python -m extract.gazetteers" in text and "curated.jsonl" in text
    for source in ("pwc_sota_extractor", "tdms", "scirex"):
        assert source in text


def test_metric_lines_have_a_direction_cell() -> None:
    # canonical<TAB>higher|lower|(empty)<TAB>alias...: the second cell is always there
    for line in (GAZETTEERS / "metrics.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            cells = line.split("\t")
            assert len(cells) >= 2 and cells[1] in ("", "higher", "lower"), line


@pytest.mark.parametrize("kind", ["benchmarks", "metrics"])
def test_no_name_belongs_to_two_entries(kind: str) -> None:
    owner: dict[str, str] = {}
    for name in (f"{kind}.tsv", f"{kind}_cased.tsv"):
        for canonical, rest in _entries(name):
            aliases = [r for r in rest if r not in ("higher", "lower")]
            for alias in (canonical, *aliases):
                key = canonical_key(alias)
                assert owner.setdefault(key, canonical) == canonical, (
                    f"{alias!r} is a name of {owner[key]!r} and of {canonical!r}"
                )


@pytest.mark.parametrize("name", ["benchmarks.tsv", "metrics.tsv"])
def test_no_common_word_in_the_case_insensitive_files(name: str) -> None:
    bad = [n for n in _names(name) if n.lower() in COMMON_WORDS]
    assert not bad


def test_benchmark_names_are_not_numbers_letters_tasks_or_metrics() -> None:
    metric_keys = {canonical_key(n) for n in _names("metrics.tsv") + _names("metrics_cased.tsv")}
    for name in _names("benchmarks.tsv") + _names("benchmarks_cased.tsv"):
        assert len(canonical_key(name)) >= 3, name
        assert not name.replace(".", "").isdigit(), name
        assert canonical_key(name) not in metric_keys, name
    tasks = {"semantic segmentation", "machine translation", "question answering"}
    assert not tasks & {n.lower() for n in _names("benchmarks.tsv")}


# --- grouping ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def benchmarks() -> Gazetteer:
    return Gazetteer.from_files([GAZETTEERS / "benchmarks.tsv"])


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("CIFAR100", "CIFAR-100"),  # spelling variants share a key
        ("cifar-10", "CIFAR-10"),
        ("CIFAR 10", "CIFAR-10"),
        ("ImageNet-1K", "ImageNet"),  # SciREX coreference and the seed list
        ("ILSVRC2012", "ImageNet"),
        ("MS COCO", "COCO"),
        ("MSCOCO", "COCO"),
        ("PTB", "Penn Treebank"),  # SciREX: the most frequent mention
        ("WT2", "WikiText-2"),
        ("Market1501", "Market-1501"),
        ("GSM-8K", "GSM8K"),  # curated, with the seed's alias
        ("Librispeech", "LibriSpeech"),
        ("Stanford Natural Language Inference", "SNLI"),  # an acronym and its expansion
        ("WMT'14 English-German", "WMT2014 English-German"),  # two-digit year
        ("WMT 2014 EN-DE", "WMT2014 English-German"),  # language codes
        ("SQuAD", "SQuAD"),
    ],
)
def test_known_names_group_under_one_canonical(
    benchmarks: Gazetteer, written: str, canonical: str
) -> None:
    assert benchmarks.lookup(written) == canonical


def test_different_benchmarks_stay_apart(benchmarks: Gazetteer) -> None:
    # versions and subsets that results are reported on separately
    assert benchmarks.lookup("SST-2") != benchmarks.lookup("SST-5")
    assert benchmarks.lookup("CIFAR-10") != benchmarks.lookup("CIFAR-100")
    assert benchmarks.lookup("WikiText-2") != benchmarks.lookup("WikiText-103")


def test_common_word_benchmarks_are_only_in_the_case_sensitive_file() -> None:
    plain = {n.lower() for n in _names("benchmarks.tsv")}
    cased = set(_names("benchmarks_cased.tsv"))
    for name in ("MATH", "RACE"):
        assert name in cased and name.lower() not in plain


@pytest.mark.parametrize(
    ("entry", "aliases"),
    [
        # every entry of the seed list survives, with its aliases
        ("ImageNet", ["ImageNet-1K", "ILSVRC2012"]),
        ("CIFAR-10", ["CIFAR10"]),
        ("CIFAR-100", ["CIFAR100"]),
        ("MNIST", []),
        ("COCO", ["MS COCO", "MSCOCO"]),
        ("GSM8K", ["GSM-8K"]),
        ("HumanEval", []),
        ("MBPP", []),
        ("MMLU", []),
        ("MT-Bench", []),
        ("AudioCaps", []),
        ("LibriSpeech", ["Librispeech"]),
    ],
)
def test_seed_benchmarks_are_kept(benchmarks: Gazetteer, entry: str, aliases: list[str]) -> None:
    for name in (entry, *aliases):
        assert benchmarks.lookup(name) == entry


@pytest.mark.parametrize(
    ("written", "canonical", "direction"),
    [
        ("accuracy", "accuracy", "higher"),
        ("acc", "accuracy", "higher"),  # grouped as the seed list and SciREX do
        ("top-1 accuracy", "accuracy", "higher"),
        ("Test Accuracy", "accuracy", "higher"),
        ("F1-score", "F1", "higher"),
        ("F-measure", "F1", "higher"),
        ("BLEU", "BLEU", "higher"),
        ("BLEU score", "BLEU", "higher"),
        ("ROUGE-L", "ROUGE-L", "higher"),
        ("FID", "FID", "lower"),
        ("Fréchet Inception Distance", "FID", "lower"),
        ("FAD", "FAD", "lower"),
        ("WER", "WER", "lower"),
        ("word error rate", "WER", "lower"),
        ("perplexity", "perplexity", "lower"),
        ("PPL", "perplexity", "lower"),
        ("latency", "latency", "lower"),
        ("error", "error", "lower"),  # NLP-TDMS says higher; curated
        ("MAE", "MAE", "lower"),
        ("PSNR", "PSNR", "higher"),
        ("SSIM", "SSIM", "higher"),
        ("mIoU", "mIoU", "higher"),
        ("MRR", "MRR", "higher"),
        ("speedup", "speedup", "higher"),
        ("win/loss ratio", "win/loss ratio", "higher"),
        ("similarity", "similarity", "higher"),
    ],
)
def test_metrics_group_and_have_a_direction(written: str, canonical: str, direction: str) -> None:
    assert _metrics().get(written.lower()) == (canonical, direction)


def test_top_1_error_is_not_accuracy() -> None:
    # the complement of an accuracy has the opposite direction
    canonical, direction = _metrics()["top-1 error"]
    assert canonical != "accuracy" and direction == "lower"


def test_common_word_metrics_are_only_in_the_case_sensitive_file() -> None:
    plain = _metrics()
    cased = _metrics("metrics_cased.tsv")
    for name in ("map", "is", "em"):
        assert name not in plain
    assert cased["map"][0] == cased["mean average precision"][0]
    assert cased["is"][0] == "Inception score"


# --- the pipeline with the new files ----------------------------------------------------


def test_the_pipeline_matches_names_and_gives_canonicals(pipeline: Pipeline) -> None:
    found = extract_text(
        pipeline, "We report results on CIFAR100, MS COCO and the Market1501 benchmark."
    ).benchmarks
    canonicals = {row["name"]: row["canonical"] for row in found}
    assert canonicals["CIFAR100"] == "CIFAR-100"
    assert canonicals["MS COCO"] == "COCO"
    assert canonicals["Market1501"] == "Market-1501"


def test_the_pipeline_leaves_common_words_alone(pipeline: Pipeline) -> None:
    text = "Our model improves math reasoning and wins the race on every set of questions."
    assert extract_text(pipeline, text).benchmarks == []


# --- name functions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        ("CIFAR - 10", "CIFAR-10"),
        ("Children ’s Book Test", "Children’s Book Test"),
        ("SQuAD v1 . 1", "SQuAD v1.1"),
        ("WMT ’ 14", "WMT’14"),
        ("Deriva- tion Tree", "Derivation Tree"),  # a word a PDF broke at a line end
        ("( SVHN )", "(SVHN)"),
    ],
)
def test_detokenize(tokens: str, text: str) -> None:
    assert detokenize(tokens) == text


@pytest.mark.parametrize(
    ("short", "long_form", "expected"),
    [
        ("SVHN", "Street View House Numbers", True),
        ("LFW", "Labeled Faces in the Wild", True),  # small words skipped
        ("AFW", "Annotated Faces in the Wild", True),
        ("SNLI", "Stanford Natural Language Inference", True),
        ("CIFAR10", "CIFAR-100", False),  # one word is no long form
        ("PTB", "Penn Treebank", False),  # a letter inside a word is not an initial
        ("MR", "Movie Review", False),  # too short to tell
        ("SVHN", "Street View", False),
    ],
)
def test_acronyms(short: str, long_form: str, expected: bool) -> None:
    assert is_acronym_of(short, long_form) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CIFAR-100", ["CIFAR100", "CIFAR 100"]),
        ("GSM8K", ["GSM-8K", "GSM 8K"]),
        ("MT-Bench", ["MTBench", "MT Bench"]),
        ("BC5CDR", []),  # digits inside a code: no boundary to vary
        ("Penn Treebank", []),
        ("TC-T", ["TCT"]),  # 'TC T' would make a one-letter word
    ],
)
def test_variants(name: str, expected: list[str]) -> None:
    assert variants(name) == expected


@pytest.mark.parametrize(
    ("underscored", "written", "restored"),
    [
        ("SQuAD1_1", [], "SQuAD1.1"),
        ("CNN___Daily_Mail", [], "CNN / Daily Mail"),
        ("Penn_Treebank__Word_Level_", [], "Penn Treebank (Word Level)"),
        ("Children_s_Book_Test", [], "Children's Book Test"),
        ("Hits_1", ["Hits@1"], "Hits@1"),  # a written form that maps back wins
    ],
)
def test_restore_underscored(underscored: str, written: list[str], restored: str) -> None:
    assert restore_underscored(underscored, written) == restored


def test_split_parenthetical_and_kind_words() -> None:
    assert split_parenthetical("Street View House Numbers (SVHN)") == (
        "Street View House Numbers",
        "SVHN",
    )
    assert split_parenthetical("Stanford Sentiment Treebank ( SST - 5") == (
        "Stanford Sentiment Treebank",
        "SST - 5",
    )
    assert strip_generic("the CIFAR-10 test set") == "the CIFAR-10"
    assert strip_generic("Europarl corpus") == "Europarl"


def test_base_names_lose_leaderboard_qualifiers() -> None:
    attested = ({key_of(n, "benchmarks") for n in ("Set5", "KITTI", "JFLEG")},) * 2
    assert base_name("Set5 - 4x upscaling", attested, "benchmarks") == "Set5"
    assert base_name("KITTI Cars Easy", attested, "benchmarks") == "KITTI"
    assert base_name("JFLEG Unrestricted", attested, "benchmarks") == "JFLEG"
    assert base_name("WMT2014 English-German", attested, "benchmarks") == "WMT2014 English-German"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("CIFAR-10", "benchmarks", "plain"),
        ("MATH", "benchmarks", "cased"),  # a common word unless in capitals
        ("Spider", "benchmarks", "drop"),  # a common word in the case of any sentence
        ("movie review", "benchmarks", "drop"),  # a description
        ("MT-Bench", "benchmarks", "plain"),  # a short acronym in a name is no word
        ("One Billion Word", "benchmarks", "cased"),
        ("Atari 2600 game environments", "benchmarks", "drop"),
        ("SVHN to MNIST", "benchmarks", "drop"),  # a transfer setting
        ("English-German", "benchmarks", "drop"),  # a language pair
        ("MR", "benchmarks", "drop"),
        ("mAP", "metrics", "cased"),
        ("accuracy", "metrics", "plain"),
        ("word error rate", "metrics", "plain"),
        ("hits@", "metrics", "drop"),
    ],
)
def test_classify(name: str, kind: str, expected: str) -> None:
    assert classify(name, kind)[0] == expected  # type: ignore[arg-type]


# --- curated facts -----------------------------------------------------------------------


def test_curated_facts_load_and_each_says_where_it_comes_from() -> None:
    facts = load_facts(GAZETTEERS / "curated.jsonl")
    assert facts
    assert all(len(f.source) >= 3 for f in facts)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"table": "benchmarks", "action": "alias", "name": "X", "source": "a paper"}', "of"),
        ('{"table": "metrics", "action": "drop", "name": "X"}', "source"),
        ('{"table": "benchmarks", "action": "add", "name": "X", "source": "p", "x": 1}', ""),
        ("not json", ""),
    ],
)
def test_curated_file_errors_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "curated.jsonl"
    good = {"table": "benchmarks", "action": "drop", "name": "Y", "source": "a reason"}
    path.write_text(json.dumps(good) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=rf"curated\.jsonl:2: .*{message}"):
        load_facts(path)


# --- the build ---------------------------------------------------------------------------


def test_build_needs_the_sources(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such folder"):
        build(tmp_path / "missing", GAZETTEERS / "curated.jsonl")


def test_build_is_deterministic_and_the_committed_files_are_its_output() -> None:
    need_shared(ANNOTATED)
    built = build(ANNOTATED, GAZETTEERS / "curated.jsonl")
    for name in FILES:
        committed = (GAZETTEERS / name).read_text(encoding="utf-8")
        assert built.files[name] == committed, (
            f"{name} differs from the build; run python -m extract.gazetteers and commit"
        )


def test_the_build_command_names_a_missing_corpus(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extract.gazetteers.__main__ import main

    missing = tmp_path / "annotated"
    args = ["--sources", str(missing), "--out", str(tmp_path), "--check"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert str(missing) in result.output and "Traceback" not in result.output
