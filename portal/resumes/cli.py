"""``flask parse-resume FILE [--json]``: the parse contract as a command."""

from __future__ import annotations

import json
from typing import Any

import click

from .errors import ResumeError
from .sandbox import parse_resume_sandboxed


def _summary(fields: dict[str, Any]) -> str:
    lines = [
        f"Name:     {fields['name'] or '—'}",
        f"Email:    {fields['email'] or '—'}",
        f"Phone:    {fields['phone'] or '—'}",
        f"Location: {fields['location'] or '—'}",
        f"Links:    {', '.join(fields['links']) or '—'}",
        f"Skills:   {', '.join(fields['skills']) or '—'}",
        f"Experience ({fields['years_experience']} years):",
    ]
    for job in fields["experience"]:
        end = job["end"] or "present"
        title = job["title"] or "?"
        company = job["company"] or "?"
        lines.append(f"  - {title}, {company} ({job['start']} – {end})")
    lines.append("Education:")
    for ed in fields["education"]:
        lines.append(f"  - {ed['degree'] or '?'}, {ed['school'] or '?'} ({ed['year'] or '?'})")
    return "\n".join(lines)


@click.command("parse-resume")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print exactly the parsed JSON.")
def parse_resume_command(file: str, as_json: bool) -> None:
    """Parse a resume (PDF, DOCX or text) and print its fields."""
    try:
        parsed = parse_resume_sandboxed(file)
    except ResumeError as exc:
        if as_json:
            click.echo(json.dumps({"error": exc.message}, indent=2, ensure_ascii=False))
        else:
            click.echo(exc.message, err=True)
        raise SystemExit(1) from exc
    if as_json:
        click.echo(json.dumps(parsed.public(), indent=2, ensure_ascii=False))
    else:
        click.echo(_summary(parsed.fields))


@click.command("train-resume-model")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Folder of resumes with <stem>.labels.json beside each (default: the family corpus).",
)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Model file to write.")
def train_resume_model_command(corpus: str | None, out: str | None) -> None:
    """Train the resume parser's line classifier from a generated, labelled corpus."""
    from pathlib import Path

    from .linemodel import MODEL_PATH
    from .train import DEFAULT_CORPUS, labelled_files, train_model

    files = labelled_files(Path(corpus) if corpus else DEFAULT_CORPUS)
    if not files:
        raise click.UsageError("no labelled documents in the corpus")
    target = Path(out) if out else MODEL_PATH
    info = train_model(files, target)
    click.echo(f"trained {target} on {info['documents']} documents, {info['lines']} lines")


commands = [parse_resume_command, train_resume_model_command]
