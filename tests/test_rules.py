"""Every rule of every bundled pipeline, run on its own examples and counter-examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy

from extract.nlp import LEXICAL_ATTRS, Pipeline, extract_text, load_pipeline, rows_by_rule
from extract.nlp.rule_models import CLAIM_RULES, BenchmarkRule, FieldRule, LinkRule, ShortNameRule
from extract.nlp.rules import load_rules
from extract.resources import pipelines_dir

RULE_FILES: dict[str, Any] = {
    "links.jsonl": LinkRule,
    "short_names.jsonl": ShortNameRule,
    "benchmarks.jsonl": BenchmarkRule,
    "claims.jsonl": CLAIM_RULES,
    "claim_fields.jsonl": FieldRule,
}


def _cases() -> list[Any]:
    cases = []
    for pipeline_dir in sorted(pipelines_dir().iterdir()):
        rules_dir = pipeline_dir / "rules"
        for path in sorted(rules_dir.glob("*.jsonl")):
            model = RULE_FILES[path.name]
            for rule in load_rules(path, model):
                for i, example in enumerate(rule.examples):
                    cases.append(pytest.param(rule.id, example, True, id=f"{rule.id}+{i}"))
                for i, example in enumerate(rule.counter_examples):
                    cases.append(pytest.param(rule.id, example, False, id=f"{rule.id}-{i}"))
    return cases


def test_every_rule_file_has_a_model() -> None:
    for pipeline_dir in pipelines_dir().iterdir():
        for path in (pipeline_dir / "rules").glob("*.jsonl"):
            assert path.name in RULE_FILES, f"{path}: no rule model knows this file"


@pytest.mark.parametrize(("rule_id", "example", "fires"), _cases())
def test_rule_examples(pipeline: Pipeline, rule_id: str, example: Any, fires: bool) -> None:
    rows = rows_by_rule(extract_text(pipeline, example.text, example.title or "")).get(rule_id, [])
    if not fires:
        assert rows == [], f"{rule_id} fired on its counter-example: {rows}"
        return
    assert rows, f"{rule_id} did not fire on: {example.text}"
    expected = example.expect
    assert any(all(row.get(k) == v for k, v in expected.items()) for row in rows), (
        f"{rule_id}: no row has {expected}; got {rows}"
    )


def test_the_rows_need_no_lexical_attribute_the_vocabulary_leaves_out(pipeline: Pipeline) -> None:
    """A new word gets only the lexical attributes of LEXICAL_ATTRS (see load_pipeline):
    with every attribute spaCy defines, every rule example gives the same rows. A
    component that comes to read another attribute fails here: add it there."""
    every = load_pipeline(pipeline.path)
    vocab: Any = every.nlp.vocab
    vocab.lex_attr_getters = dict(spacy.blank(every.nlp.lang).vocab.lex_attr_getters)
    assert len(vocab.lex_attr_getters) > len(LEXICAL_ATTRS)
    for case in _cases():
        _, example, _ = case.values
        title = example.title or ""
        assert extract_text(every, example.text, title) == extract_text(
            pipeline, example.text, title
        ), example.text


def test_rule_files_report_file_and_line(tmp_path: Path) -> None:
    from extract.errors import RuleFileError

    bad = tmp_path / "links.jsonl"
    bad.write_text('{"id": "link.x", "kind": "code", "match": "host"}\n', encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rules(bad, LinkRule)
    assert str(error.value).startswith(f"{bad}:1: examples: Field required")


@pytest.mark.parametrize(
    ("name", "model", "line", "message"),
    [
        # a claim rule whose regex does not compile
        ("claims.jsonl", CLAIM_RULES,
         '{"id": "claim.not.x", "type": "veto", "after": "(unclosed", %s}',
         "veto.after: Value error, the pattern does not compile"),
        # a pair rule with a placeholder the loader does not know
        ("claims.jsonl", CLAIM_RULES,
         '{"id": "claim.x", "type": "pair", "kind": "score", "pattern": "{LOW} to {VALUE}", %s}',
         "pair.pattern: Value error, unknown placeholder {LOW}"),
        # a qualifier rule naming a hedge list the pipeline folder lacks
        ("claims.jsonl", CLAIM_RULES,
         '{"id": "claim.hedges", "type": "qualifier", "list": "missing.tsv", %s}',
         "list: no file gazetteers/missing.tsv"),
        # a veto rule naming a word list the pipeline folder lacks
        ("claims.jsonl", CLAIM_RULES,
         '{"id": "claim.not.y", "type": "veto", "word_before": "missing.txt", %s}',
         "word_before: no file gazetteers/missing.txt"),
        # a kind rule whose yielding cue is none of its after cues
        ("claims.jsonl", CLAIM_RULES,
         '{"id": "claim.k", "type": "kind", "kind": "improvement", "after_cues": ["gain"], '
         '"yielding_cues": ["higher"], %s}',
         "kind: Value error, yielding_cues not among the after_cues: higher"),
        # a field rule naming a method no reader implements for its field
        ("claim_fields.jsonl", FieldRule,
         '{"id": "subject.x", "field": "subject", "method": "pair_left", %s}',
         "method: no method 'pair_left' reads the field 'subject'"),
        # a field rule naming a word list the pipeline folder lacks
        ("claim_fields.jsonl", FieldRule,
         '{"id": "subject.y", "field": "subject", "method": "clause_noun", '
         '"word_list": "missing.txt", %s}',
         "word_list: no file gazetteers/missing.txt"),
    ],
)  # fmt: skip
def test_broken_claim_rules_fail_at_load_with_their_line(
    tmp_path: Path, name: str, model: Any, line: str, message: str
) -> None:
    from extract.errors import RuleFileError
    from extract.nlp.claim_fields import FieldFinder
    from extract.nlp.claims import _check_rule as check_claim_rule
    from extract.nlp.metrics import MetricLexicon

    examples = '"examples": [{"text": "a"}], "counter_examples": [{"text": "b"}]'
    good = '{"id": "claim.qualifier", "type": "qualifier", "phrases": {"up to": "up to"}, %s}'
    if name == "claim_fields.jsonl":
        good = '{"id": "task.after", "field": "task", "method": "after", %s}'
    (tmp_path / "rules").mkdir()
    (tmp_path / "gazetteers").mkdir()
    path = tmp_path / "rules" / name
    path.write_text(good % examples + "\n" + line % examples + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        if name == "claim_fields.jsonl":
            FieldFinder.from_file(path, MetricLexicon())
        else:
            load_rules(path, model, check=check_claim_rule)
    assert str(error.value).startswith(f"{path}:2: {message}")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("we call\\s(?P<name>{NAMES})", "pattern: Value error, unknown placeholder {NAMES}"),
        ("we call\\s(?P<name>{NAME}", "pattern: Value error, the pattern does not compile"),
    ],
)
def test_broken_short_name_patterns_fail_at_load_with_their_line(
    tmp_path: Path, pattern: str, message: str
) -> None:
    from extract.errors import RuleFileError

    examples = '"examples": [{"text": "a"}], "counter_examples": [{"text": "b"}]'
    good = {"id": "short_name.title_prefix", "source": "title_prefix"}
    bad = {"id": "short_name.x", "source": "abstract_cue", "pattern": pattern}
    path = tmp_path / "short_names.jsonl"
    path.write_text(
        "\n".join(json.dumps(r)[:-1] + ", " + examples + "}" for r in (good, bad)) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as error:
        load_rules(path, ShortNameRule)
    assert str(error.value).startswith(f"{path}:2: {message}")


def test_short_name_fragments_are_written_once() -> None:
    """Each named fragment is one definition: no rule pastes its text."""
    from extract.nlp.fragments import SHORT_NAME_FRAGMENTS
    from extract.nlp.short_name import ShortNameFinder, expand

    path = pipelines_dir() / "daily_papers" / "rules" / "short_names.jsonl"
    finder = ShortNameFinder.from_file(path)
    for rule, compiled, _ in finder._compiled:
        assert rule.pattern is not None
        assert compiled.pattern == expand(rule.pattern, finder.fragments)
        for fragment in (*SHORT_NAME_FRAGMENTS.values(), finder.fragments["{METHOD_NOUN}"]):
            assert fragment not in rule.pattern, rule.id
