"""The latency histogram of each scenario, at each load, as one PNG for the README (matplotlib, a bench-only
dependency that `make bench` installs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.run import Result


def draw(results: list[Result], path: Path) -> Path:
    """One panel per scenario: the share of requests by latency (wrk's percentiles 1 to 99.9, each band of one
    percent binned), a line per load, p50 and p99 marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r.scenario for r in results))
    columns = 2
    rows = (len(names) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(11, 2.6 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        for result in (r for r in results if r.scenario == name and r.quantiles_us):
            latencies = [q / 1000 for q in result.quantiles_us]
            # 100 quantiles are 100 equal shares of the requests: their histogram is the latency distribution
            ax.hist(
                latencies,
                bins=30,
                weights=[1.0] * len(latencies),
                histtype="step",
                linewidth=1.5,
                label=f"{result.connections} conns: p50 {result.p50_ms:.0f}, p99 {result.p99_ms:.0f} ms",
            )
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("latency, ms", fontsize=8)
        ax.set_ylabel("% of requests", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path
