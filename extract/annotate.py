"""The last step of extraction: canonical names, version, split and confidence on rows.

Runs once per record after the rule components, on the plain rows they produced:

1. the features each row's confidence rests on are read first, from the rows as the
   rule components left them (the subject's rule, with its method from the pipeline's
   field rules);
2. ``benchmark_canonical``, ``benchmark_version`` and ``split`` of claims, and
   ``benchmark_version`` and ``split`` of benchmark rows, from :mod:`extract.canonical`;
   ``metric_canonical`` of a claim whose metric the gazetteer does not know is the
   metric folded;
3. ``confidence`` from the pipeline's fitted parameters (:mod:`extract.confidence`).

The features are kept on the extraction (not written) so that fitting reads exactly
what the pipeline scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .canonical import Abbreviations, Names, key
from .confidence import (
    Features,
    Parameters,
    benchmark_features,
    claim_features,
    load_parameters,
    rule_methods,
    score_rows,
)


@dataclass
class Finisher:
    """What finishing rows needs from a pipeline folder: its gazetteers and parameters."""

    names: Names
    parameters: Parameters | None
    #: {field rule id: method}: where a claim's subject came from (a confidence feature)
    methods: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_pipeline(cls, folder: Path) -> Finisher:
        return cls(Names.from_pipeline(folder), load_parameters(folder), rule_methods(folder))

    def finish(
        self,
        claims: list[dict[str, Any]],
        benchmarks: list[dict[str, Any]],
        trace: Sequence[Mapping[str, Any]],
        text: str,
    ) -> dict[str, list[Features]]:
        """Fill the canonical names, version, split and confidence of the rows of one
        record in place; return the features of each row, by table."""
        claim_feats = [claim_features(claim, self.methods) for claim in claims]
        defined = Abbreviations(text)  # read only for names the gazetteer lacks
        for claim in claims:
            written = claim.get("benchmark")
            if written:
                name = self.names.benchmark(str(written), defined)
                claim["benchmark_canonical"] = name.canonical
                claim["benchmark_version"], claim["split"] = name.version, name.split
            else:
                claim["benchmark_version"] = claim["split"] = None
            claim["metric_canonical"] = self.names.metric(
                claim.get("metric"), claim.get("metric_canonical")
            )
        claimed = {key(str(c["benchmark"])) for c in claims if c.get("benchmark")}
        claimed |= {key(str(c["benchmark_canonical"])) for c in claims if c.get("benchmark")}
        bench_feats = [benchmark_features(row, claimed) for row in benchmarks]
        for row in benchmarks:
            name = self.names.benchmark(str(row.get("name") or ""), defined)
            row["benchmark_version"], row["split"] = name.version, name.split
        score_rows(
            self.parameters,
            zip(claims, claim_feats, strict=False),
            zip(benchmarks, bench_feats, strict=False),
        )
        return {"claims": claim_feats, "benchmarks": bench_feats}
