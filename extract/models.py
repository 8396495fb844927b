"""Pydantic models: the single source of truth for every table and the manifest.

The JSON Schemas under ``schemas/`` and the Arrow schemas of the Parquet tables are
both generated from these classes (see :mod:`extract.schema`), so a column exists in
exactly one place. Row models forbid unknown fields and check value ranges, so a row
that would surprise a downstream reader is rejected before it is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

LinkKind = Literal["code", "project", "demo", "data", "paper", "other"]
ClaimKind = Literal["score", "improvement", "speedup", "reduction", "ratio", "other"]
Direction = Literal["higher", "lower"]
Stage = Literal["read", "split", "extract", "validate", "write"]

Offset = Annotated[int, Field(ge=0)]
NonEmpty = Annotated[str, Field(min_length=1)]
Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
RecordId = Annotated[str, Field(min_length=3, pattern=r"^(arxiv|title):\S+$")]
ArxivId = Annotated[
    str,
    Field(pattern=r"^(\d{4}\.\d{4,5}|[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7})$"),
]


class Row(BaseModel):
    """Base of every table row: strict about unknown fields, plain data only."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    #: Name of the table the rows are written to (``NAME/part-*.parquet``).
    table: ClassVar[str]


class Spanned(Row):
    """A row whose ``start``/``end`` index ``papers.abstract``; both or neither."""

    start: Offset | None = None
    end: Offset | None = None

    @model_validator(mode="after")
    def _offsets_ordered(self) -> Spanned:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end must both be set or both be null")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        return self


class Paper(Row):
    """One paper: the first appearance of it in the inputs, in input order."""

    table: ClassVar[str] = "papers"

    record_id: RecordId = Field(
        description="arxiv:<id> when the arXiv id is known, else title:<hash of the "
        "normalised title>; never derived from paths, order or time."
    )
    source: NonEmpty = Field(description="The input path as given ('-' for standard input).")
    position: Annotated[int, Field(ge=1)] = Field(description="1-based position in its source.")
    title: NonEmpty
    short_name: NonEmpty | None = Field(
        default=None, description="The name the paper is known by, when it has one."
    )
    short_name_rule: str | None = Field(
        default=None, description="Id of the rule that found the short name."
    )
    abstract: str | None = Field(default=None, description="Abstract text; offsets index it.")
    listing_date_text: str | None = Field(
        default=None, description="The listing date as written in the input, e.g. 'Jul 29'."
    )
    listing_date: dt.date | None = Field(
        default=None, description="ISO date of the listing, when the year is known."
    )
    arxiv_id: ArxivId | None = None
    authors: list[NonEmpty] = Field(default_factory=list)
    categories: list[NonEmpty] = Field(
        default_factory=list,
        description="arXiv subject categories when the input gives them, e.g. 'cs.CL'.",
    )
    upvotes: Annotated[int, Field(ge=0)] | None = None
    start: Offset = Field(description="Start of the record in the decoded source text.")
    end: Offset = Field(description="End of the record in the decoded source text.")
    format: str | None = Field(
        default=None, description="The input format the record was read from."
    )
    appearances: Annotated[int, Field(ge=1)] = Field(
        default=1, description="How many input records are this paper (see 'appearances')."
    )

    @model_validator(mode="after")
    def _record_span(self) -> Paper:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class Link(Spanned):
    """A URL found in the abstract or given by a structured field of the input."""

    table: ClassVar[str] = "links"

    record_id: RecordId
    url: Annotated[str, Field(min_length=4, pattern=r"^\S+$")]
    kind: LinkKind
    host: NonEmpty
    field: NonEmpty = Field(
        default="abstract",
        description="Where the URL was found: 'abstract', or the structured input field.",
    )
    rule_id: NonEmpty


class Benchmark(Spanned):
    """A named dataset, benchmark or evaluation suite mentioned by a paper."""

    table: ClassVar[str] = "benchmarks"

    record_id: RecordId
    name: NonEmpty = Field(description="The name as written.")
    canonical: NonEmpty | None = Field(
        default=None, description="Canonical name from the gazetteer, when known."
    )
    field: Literal["abstract", "title"] = Field(
        default="abstract", description="Text the mention was found in; offsets index it."
    )
    rule_id: NonEmpty
    benchmark_version: NonEmpty | None = Field(
        default=None, description="A version written with the name ('v2' of 'WidgetBench v2')."
    )
    split: NonEmpty | None = Field(
        default=None, description="A split or subset written with the name ('test-dev', 'hard')."
    )
    confidence: Probability | None = Field(
        default=None,
        description="Fitted chance that the gold lists this benchmark for the paper.",
    )


class Claim(Spanned):
    """A quantitative result reported in an abstract, with its evidence."""

    table: ClassVar[str] = "claims"

    record_id: RecordId
    claim_id: NonEmpty = Field(description="<record_id>#<ordinal>, stable across runs.")
    value: float = Field(allow_inf_nan=False)
    value_text: NonEmpty = Field(description="The number and its unit exactly as written.")
    unit: NonEmpty | None = Field(
        default=None, description="'%', 'x', 'pp', another unit, or null."
    )
    kind: ClaimKind
    metric: NonEmpty | None = None
    metric_canonical: NonEmpty | None = None
    direction: Direction | None = Field(
        default=None, description="Whether higher or lower values of the metric are better."
    )
    benchmark: NonEmpty | None = None
    benchmark_canonical: NonEmpty | None = Field(
        default=None,
        description="The benchmark's canonical name without version or split: the "
        "gazetteer's, else the short form of an abbreviation the abstract defines, else "
        "the name's letters and digits in lower case.",
    )
    benchmark_version: NonEmpty | None = Field(
        default=None, description="A version written with the benchmark ('v2')."
    )
    split: NonEmpty | None = Field(
        default=None, description="A split or subset written with the benchmark ('test-dev')."
    )
    task: NonEmpty | None = None
    subject: NonEmpty | None = None
    baseline: NonEmpty | None = None
    baseline_value: float | None = Field(default=None, allow_inf_nan=False)
    qualifier: NonEmpty | None = None
    metric_start: Offset | None = Field(default=None, description="Offsets of the metric text.")
    metric_end: Offset | None = None
    benchmark_start: Offset | None = Field(
        default=None, description="Offsets of the benchmark text."
    )
    benchmark_end: Offset | None = None
    baseline_start: Offset | None = Field(default=None, description="Offsets of the baseline text.")
    baseline_end: Offset | None = None
    subject_start: Offset | None = Field(default=None, description="Offsets of the subject text.")
    subject_end: Offset | None = None
    evidence: NonEmpty = Field(description="The clause of the abstract holding the claim.")
    evidence_start: Offset
    evidence_end: Offset
    start: Offset = Field(description="Start of value_text in the abstract.")
    end: Offset = Field(description="End of value_text in the abstract.")
    rule_id: NonEmpty
    field_rules: NonEmpty | None = Field(
        default=None,
        description="The rules that read the claim's fields, as 'field=rule_id' items "
        "separated by spaces ('metric=claim.metric.after benchmark=claim.benchmark.on').",
    )
    confidence: Probability | None = Field(
        default=None,
        description="Fitted chance that the claim is right (strict rule, and the subject).",
    )

    @model_validator(mode="after")
    def _value_inside_evidence(self) -> Claim:
        if not (self.evidence_start <= self.start and self.end <= self.evidence_end):
            raise ValueError("the value offsets must lie inside the evidence offsets")
        for part in ("metric", "benchmark", "baseline", "subject"):
            start, end = getattr(self, f"{part}_start"), getattr(self, f"{part}_end")
            if (start is None) != (end is None) or (start is not None and end <= start):
                raise ValueError(f"{part}_start and {part}_end must both be null or a span")
        return self


class Appearance(Row):
    """One input record of a paper: every place the paper was seen, merged or not."""

    table: ClassVar[str] = "appearances"

    record_id: RecordId = Field(description="The paper (its row in 'papers').")
    source: NonEmpty = Field(description="The input path as given ('-' for standard input).")
    position: Annotated[int, Field(ge=1)] = Field(description="1-based position in its source.")
    format: str | None = Field(default=None, description="The input format.")
    primary: bool = Field(
        description="True for the appearance whose source and position the papers row has."
    )
    title: NonEmpty = Field(description="The title as this input wrote it.")
    listing_date_text: str | None = None
    listing_date: dt.date | None = None
    arxiv_id: ArxivId | None = None
    upvotes: Annotated[int, Field(ge=0)] | None = None
    start: Offset = Field(description="Start of the record in its decoded source text.")
    end: Offset = Field(description="End of the record in its decoded source text.")


class Reject(Row):
    """An input record or file that could not become a valid row, and why."""

    table: ClassVar[str] = "rejects"

    source: NonEmpty
    position: Annotated[int, Field(ge=1)] | None = None
    record_id: str | None = None
    stage: Stage
    reason: NonEmpty = Field(description="A short, stable reason code, e.g. 'invalid_utf8'.")
    detail: str = Field(description="What went wrong, for a person.")
    line: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="1-based line in the source where the record starts."
    )
    byte_offset: Offset | None = Field(
        default=None, description="Byte offset of the problem in the source, when known."
    )
    raw: str | None = Field(default=None, description="The offending input, truncated.")


ROW_MODELS: tuple[type[Row], ...] = (Paper, Link, Benchmark, Claim, Appearance, Reject)


class InputEntry(BaseModel):
    """One input file of a run and what became of it."""

    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str | None
    bytes: Annotated[int, Field(ge=0)]
    format: str | None
    records: Annotated[int, Field(ge=0)] = Field(description="Records read from this input.")
    outcome: Literal["read", "rejected"]
    reason: str | None = None
    papers: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Records that are the first appearance of their paper."
    )
    merged: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Records folded into an earlier appearance of their paper."
    )
    rejected: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Records rejected (papers + merged + rejected == records)."
    )


class Counts(BaseModel):
    """Row and record counts of a run; papers + rejected + merged == records_in."""

    model_config = ConfigDict(extra="forbid")

    papers: Annotated[int, Field(ge=0)] = 0
    claims: Annotated[int, Field(ge=0)] = 0
    benchmarks: Annotated[int, Field(ge=0)] = 0
    links: Annotated[int, Field(ge=0)] = 0
    appearances: Annotated[int, Field(ge=0)] = 0
    rejects: Annotated[int, Field(ge=0)] = 0
    records_in: Annotated[int, Field(ge=0)] = 0
    rejected_records: Annotated[int, Field(ge=0)] = 0
    merged_records: Annotated[int, Field(ge=0)] = 0
    rejected_files: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _records_balance(self) -> Counts:
        total = self.papers + self.rejected_records + self.merged_records
        if total != self.records_in:
            raise ValueError(
                f"records do not balance: papers {self.papers} + rejected "
                f"{self.rejected_records} + merged {self.merged_records} != "
                f"records_in {self.records_in}"
            )
        return self


class SkippedEntry(BaseModel):
    """An entry of an input folder left out on purpose (not a reject): a symbolic link
    that leads out of the folder."""

    model_config = ConfigDict(extra="forbid")

    path: str
    reason: str
    detail: str


class RunInfo(BaseModel):
    """How a run was carried out; none of it changes the tables."""

    model_config = ConfigDict(extra="forbid")

    engine: Literal["local", "dask"]
    processes: Annotated[int, Field(ge=1)] = Field(description="Processes that did the work.")
    shards: Annotated[int, Field(ge=0)] = Field(description="Shards the inputs were cut into.")
    reused_shards: Annotated[int, Field(ge=0)] = Field(
        description="Shards whose result an earlier run had computed (--incremental)."
    )
    incremental: bool


class Manifest(BaseModel):
    """``manifest.json``: written last; its presence marks a complete dataset."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    tool: Literal["extract"] = "extract"
    tool_version: str
    pipeline: str
    pipeline_version: str
    created: str = Field(description="UTC time the run finished (ISO 8601).")
    elapsed_seconds: Annotated[float, Field(ge=0)]
    inputs: list[InputEntry]
    skipped: list[SkippedEntry] = Field(
        default_factory=list,
        description="Entries of input folders that were not read, and why (not rejects).",
    )
    tables: dict[str, list[str]] = Field(description="Table name -> its Parquet parts.")
    counts: Counts
    options: dict[str, Any] = Field(default_factory=dict)
    run: RunInfo | None = None
    timings: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Seconds spent per stage (read, extract, validate, merge, write), "
        "added up over the processes that did the work.",
    )
