"""Detection commands: ``classify``, ``eval``, ``train``, ``knowledge import-cites``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from netpatrol.cli_io import open_input
from netpatrol.errors import InputError, NetpatrolError
from netpatrol.workspace import Workspace

err = Console(stderr=True)
DEFAULT_DATA = Path("..") / "shared" / "data"
MISCLASSIFIED_SHOWN = 50


def _error(message: object) -> None:
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)


def classify(
    source: Annotated[str, typer.Argument(help="JSONL file, or - for standard input.")] = "-",
    rules: Annotated[
        bool, typer.Option("--rules", help="Lexicon rules only, without the model.")
    ] = False,
) -> None:
    """JSONL in (id + title/text, or html + url) -> category, score, labels, evidence and
    the listing fields out; no workspace."""
    from netpatrol.detect.jsonl import classify_lines

    _workspace_checklist_if_named()
    failed = False
    with open_input(source) as lines:
        for item in classify_lines(lines, "<stdin>" if source == "-" else source, rules):
            if isinstance(item, NetpatrolError):
                _error(item)
                failed = True
                continue
            sys.stdout.write(json.dumps(item[1], ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


def evaluate(
    source: Annotated[str, typer.Argument(help="Labelled JSONL: each line has 'expect'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Precision, recall and F1 per category, the confusion matrix, and the rows the
    classifier got wrong, on labelled JSONL (an ``expect`` field per line)."""
    from netpatrol.detect.evaluate import evaluate as score
    from netpatrol.detect.evaluate import format_report
    from netpatrol.detect.jsonl import classify_lines
    from netpatrol.detect.model import LABELS

    expected: list[str] = []
    predicted: list[str] = []
    wrong: list[dict[str, Any]] = []
    name = "<stdin>" if source == "-" else source
    with open_input(source) as lines:
        for item in classify_lines(lines, name):
            if isinstance(item, NetpatrolError):
                raise item
            row, record = item
            expect = row.obj.get("expect")
            if expect not in LABELS:
                raise InputError(
                    name,
                    f"'expect' must be one of {', '.join(LABELS)}, got {expect!r}",
                    line=row.number,
                )
            expected.append(str(expect))
            predicted.append(record["category"])
            if record["category"] != expect:
                wrong.append({"id": record["id"], "expect": expect, "got": record["category"],
                              "score": record["score"], "title": record["title"]})  # fmt: skip
    report = score(expected, predicted)
    if as_json:
        figures = {c: vars(s) for c, s in report.per_category.items()}
        json.dump({"per_category": figures, "accuracy": report.accuracy, "rows": report.total,
                   "misclassified": wrong}, sys.stdout, ensure_ascii=False, indent=2)  # fmt: skip
        sys.stdout.write("\n")
        return
    print(format_report(report))
    print(f"\nmisclassified: {len(wrong)}")
    for miss in wrong[:MISCLASSIFIED_SHOWN]:
        got = f"got {miss['got']} ({miss['score']:.2f})"
        print(f"  {miss['id']}: expected {miss['expect']}, {got}  {miss['title']}")
    if len(wrong) > MISCLASSIFIED_SHOWN:
        print(f"  … {len(wrong) - MISCLASSIFIED_SHOWN} more (--json lists them all)")


def train(
    data: Annotated[
        Path, typer.Option("--data", help="Folder of the shared datasets.")
    ] = DEFAULT_DATA,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the model (default: the shipped one)."),
    ] = None,
    report_test: Annotated[
        bool,
        typer.Option(
            "--report-test",
            help="Also score the test split: once, after the last choice (docs/model-card.md).",
        ),
    ] = False,
) -> None:
    """Rebuild the detection model from the documented datasets (docs/model-card.md)."""
    from netpatrol.detect.evaluate import format_report
    from netpatrol.detect.model import shipped_model_path
    from netpatrol.detect.train import figures
    from netpatrol.detect.train import train as run_training

    run = run_training(
        data,
        progress=lambda line: err.print(line, markup=False, highlight=False),
        report_test=report_test,
    )
    target = out_path or shipped_model_path()
    run.model.save(target)
    for split, reports in run.reports.items():
        print(f"== {split} split")
        print(format_report(reports["all"]))
        print(json.dumps(figures(reports)))
    print(f"model written to {target}")


knowledge_app = typer.Typer(help="Shipped reference data: CITES checklist, lexicons.")


@knowledge_app.command("import-cites")
def import_cites_command(
    source: Annotated[Path, typer.Argument(help="A Species+ 'CITES listings' CSV export.")],
) -> None:
    """Use a current Species+ export instead of the shipped 2013 checklist, in this
    workspace (``scan``; ``classify`` run with ``--workspace``)."""
    from netpatrol.knowledge.cites import import_cites

    ws = _workspace[0]()
    try:
        target = ws.root / WORKSPACE_CHECKLIST
        target.parent.mkdir(parents=True, exist_ok=True)
        checklist = import_cites(source, target)
        ws.store.log_event("import-cites", detail={"source": str(source), "taxa": len(checklist)})
    finally:
        ws.close()
    print(f"imported {len(checklist)} taxa into {target}: {checklist.state}")


WORKSPACE_CHECKLIST = Path("knowledge") / "cites.tsv.gz"
_workspace: list[Callable[[], Workspace]] = []


def _workspace_checklist_if_named() -> None:
    """``classify`` needs no workspace; given one (``-w``), it uses its imported checklist."""
    from netpatrol.cli import Globals  # the command module that registered this one

    if Globals.workspace_flag is not None:
        ws = _workspace[0]()
        try:
            use_workspace_checklist(ws)
        finally:
            ws.close()


def use_workspace_checklist(ws: Workspace) -> None:
    """Detect with the workspace's imported checklist, if it has one."""
    from netpatrol.detect.matcher import use_checklist

    path = ws.root / WORKSPACE_CHECKLIST
    if path.exists():
        use_checklist(path)


def register(app: typer.Typer, workspace: Callable[[], Workspace]) -> None:
    _workspace[:] = [workspace]
    app.command()(classify)
    app.command("eval")(evaluate)
    app.command()(train)
    app.add_typer(knowledge_app, name="knowledge")
