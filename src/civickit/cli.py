"""The `civickit` command: one subcommand per job.

Imports stay inside the commands so that `civickit --help` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .display_zone import DEFAULT_TIMEZONE  # a constant of a module that imports nothing heavy

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _fail(err) -> None:
    click.secho(f"civickit: {err}", fg="red", err=True)
    sys.exit(2)


class KitGroup(click.Group):
    """Turns a KitError from any subcommand into one red line and exit code 2, never a traceback."""

    def invoke(self, ctx):
        from .errors import KitError

        try:
            return super().invoke(ctx)
        except KitError as err:
            _fail(err)


@click.group(cls=KitGroup, context_settings=CONTEXT)
@click.version_option(package_name="civickit")
def main():
    """Course kit for civil-society organisations of the Yambol region."""


@main.command()
@click.option("--edition", type=click.Choice(["learner", "trainer"]), default="learner", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings are errors (the CI build).")
@click.option("--all", "full", is_flag=True, help="Rebuild every page, not only changed ones.")
def build(edition, strict, full):
    """Build the course book into _build/."""
    from .book import build as build_book
    from .paths import course_root

    out = build_book(course_root(), edition=edition, strict=strict, full=full)
    click.echo(f"Book ({edition} edition): {out / 'index.html'}")


@main.command()
@click.argument("pages", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the PDFs (default: _build/handouts).")
@click.option("--no-build", is_flag=True, help="Print the learner edition as already built.")
def handouts(pages, out, no_build):
    """Printable A4 PDFs of the learner edition (Chromium): one per page of the outline and the whole edition.

    PAGES (e.g. 05-dialogue/public-consultations) prints only those pages, without the whole edition.
    Needs Playwright and pypdf: `make handouts` installs them.
    """
    from .book import build as build_book
    from .book import html_dir
    from .handouts import make_handouts
    from .paths import course_root

    root = course_root()
    if not no_build:
        build_book(root, edition="learner")
    target = (out or root / "_build" / "handouts").resolve()
    click.echo(f"Printing the learner edition to {target} ...")
    make_handouts(root, html_dir(root, "learner"), target, only=list(pages) or None, progress=click.echo)


@main.group()
def plan():
    """Printable session plans and a training-day agenda, generated from the lessons (HTML, A4)."""


@plan.command("lesson", short_help="The trainer's plan of each lesson (with the trainer notes).")
@click.argument("lessons", nargs=-1)
@click.option("--all", "every", is_flag=True, help="A plan for every lesson of the course.")
@click.option("--start", default=None, help="Clock time the lesson starts (HH:MM); without it the plan counts from 0:00.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the plans (default: _build/plans).")
def plan_lesson(lessons, every, start, out):
    """The trainer's plan of each LESSON (e.g. book/05-dialogue/public-consultations, or a module: book/05-dialogue):
    timing table, activities, materials and the trainer notes. One HTML file per lesson."""
    from .outline import read_outline
    from .paths import course_root
    from .plan import parse_clock, write_lesson_plans

    root = course_root()
    outline = read_outline(root)
    chosen = outline.lessons if every else outline.select(list(lessons))
    target = (out or root / "_build" / "plans").resolve()
    for path in write_lesson_plans(outline, chosen, target, parse_clock(start, "--start") if start else None):
        click.echo(f"wrote {path}")


@plan.command("day", short_help="The participants' agenda of a training day (no trainer notes).")
@click.argument("lessons", nargs=-1)
@click.option("--start", default="09:30", show_default=True, help="When the first lesson starts (HH:MM).")
@click.option("--breaks", default="11:00,15:30", show_default=True,
              help="Coffee breaks, comma-separated HH:MM, each at the lesson boundary nearest to it; 'none' for none.")
@click.option("--break-minutes", default=15, show_default=True, type=click.IntRange(1, 120))
@click.option("--lunch", default="12:30", show_default=True, help="Lunch (HH:MM) at the nearest lesson boundary; 'none' for none.")
@click.option("--lunch-minutes", default=60, show_default=True, type=click.IntRange(1, 180))
@click.option("--title", default="Програма на учебния ден", show_default=True, help="Heading of the agenda.")
@click.option("--date", "day", default=None, help="Date or place line printed under the heading, e.g. '15.01.2027 г., Ямбол'.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: _build/plans/agenda.html).")
def plan_day(lessons, start, breaks, break_minutes, lunch, lunch_minutes, title, day, out):
    """The participants' agenda of a training day for LESSONS in the order given (modules allowed): clock times,
    breaks and lunch; no trainer notes."""
    from .outline import read_outline
    from .paths import course_root
    from .plan import agenda_html, clock, day_slots, parse_clock

    root = course_root()
    outline = read_outline(root)
    chosen = outline.select(list(lessons))
    pauses = [] if breaks.strip().lower() in ("", "none") else [parse_clock(b, "--breaks") for b in breaks.split(",")]
    lunch_at = None if lunch.strip().lower() in ("", "none") else parse_clock(lunch, "--lunch")
    slots = day_slots(chosen, parse_clock(start, "--start"), pauses, break_minutes, lunch_at, lunch_minutes)
    target = (out or root / "_build" / "plans" / "agenda.html").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(agenda_html(outline, slots, title, day), encoding="utf-8")
    click.echo(f"wrote {target}: {len(chosen)} lesson(s), {clock(slots[0].start)}-{clock(slots[-1].end)}")
    for slot in slots:
        click.echo(f"  {clock(slot.start)}-{clock(slot.end)}  {slot.label}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; keep loopback unless you mean it.")
@click.option("--port", default=8890, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-build", is_flag=True, help="Serve the book as already built.")
@click.option("--mode", type=click.Choice(["learner", "trainer"]), default="learner", show_default=True,
              help="learner: no Formgrader or other trainer tools, the kit's exercises read-only; trainer: all of nbgrader.")
def start(host, port, no_build, mode):
    """Build the book (incrementally) and serve book, JupyterLab, nbgrader and Voila on one server."""
    from .book import build as build_book
    from .paths import course_root
    from .start import check_port_free
    from .start import start as start_server

    root = course_root()
    check_port_free(host, port)  # before a build that can take minutes
    if not no_build:
        build_book(root)
    start_server(root, host=host, port=port, mode=mode)


@main.command()
def check():
    """Check the course files: _toc.yml entries and notebook JSON."""
    from .checks import check_notebooks, check_toc
    from .paths import course_root

    root = course_root()
    pages = check_toc(root)
    notebooks = check_notebooks(root)
    click.echo(f"OK: {pages} pages in _toc.yml, {notebooks} notebooks.")


@main.group()
def data():
    """The course's data tables."""


@data.command("regenerate")
def data_regenerate():
    """Rewrite the synthetic tables from their seeded generators."""
    from .datasets import DATA, catalogue
    from .synth import generators

    for name, make in generators().items():
        path = DATA / catalogue()[name]["file"]
        make().to_csv(path, index=False, encoding="utf-8")
        click.echo(f"wrote {path}")


@main.command()
def doctor():
    """Say what this machine lacks for the kit (Chromium for the browser tests)."""
    from .browser import chromium_problem

    problem = chromium_problem()
    if problem:
        _fail(problem)
    click.echo("OK: Chromium found; the browser tests can run.")


@main.group()
def cohort():
    """A trainer's cohort: workspace, roster, release, grading, export (nbgrader underneath)."""


def _cohort():
    from .cohort import Cohort
    from .paths import course_root

    return Cohort.open(course_root())


@cohort.command("init")
@click.option("--timezone", default=DEFAULT_TIMEZONE, show_default=True, help="IANA time zone for due dates.")
def cohort_init(timezone):
    """Create the cohort workspace (git-ignored .cohort/ or CIVICKIT_WORKSPACE)."""
    from .cohort import init
    from .paths import course_root

    made = init(course_root(), timezone)
    click.echo(f"Cohort workspace ready: {made.workspace}")


@cohort.command("roster")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
def cohort_roster(csv_file):
    """Import learners from a CSV with columns id,first_name,last_name,email (UTF-8)."""
    from .roster import import_roster

    count = import_roster(_cohort().db_url, csv_file)
    click.echo(f"{count} learners in the gradebook.")


@cohort.group("assignments")
def cohort_assignments():
    """The cohort's assignments: the kit's own and the trainer's (kept in the workspace, not in assignments/)."""


@cohort_assignments.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="Assignment id in this cohort (default: the folder's name).")
@click.option("--replace", is_flag=True, help="Replace the cohort's assignment of that name (the old copy is kept "
              "in the workspace's source-backups/); refused once it is released.")
def cohort_assignments_add(path, name, replace):
    """Bring in an nbgrader SOURCE assignment PATH (a folder: notebooks with solutions and tests, images, data)."""
    from .course_source import add

    c = _cohort()
    added = add(c.root, c.workspace, path, name=name, replace=replace)
    if added.backup:
        click.echo(f"The previous '{added.name}' is kept in {added.backup}")
    click.echo(f"Added {added.name}: {len(added.notebooks)} notebook(s) ({', '.join(added.notebooks)}), "
               f"{added.files} file(s) in {added.folder}")
    click.echo(f"Next: civickit cohort release {added.name}")


@cohort_assignments.command("list")
def cohort_assignments_list():
    """Every assignment of the cohort: where it comes from, its notebooks, whether it is released."""
    from .course_source import listing

    c = _cohort()
    for row in listing(c.root, c.workspace):
        note = " (shadows the kit's assignment of the same name)" if row.shadows_kit else ""
        click.echo(f"{row.name}  {row.origin}  {'released' if row.released else 'not released'}  "
                   f"{', '.join(row.notebooks)}{note}")


@cohort.command("release")
@click.argument("assignment")
def cohort_release(assignment):
    """Generate the learners' version (no solutions, no hidden tests) and release it to the exchange."""

    c = _cohort()
    c.require_assignment(assignment)
    c.nbgrader("db", "assignment", "add", assignment)
    from .deadlines import apply_due

    apply_due(c, assignment)  # `db assignment add` has just cleared the due date
    c.nbgrader("generate_assignment", assignment, "--force")
    c.nbgrader("release_assignment", assignment, "--force")
    click.echo(f"Released {assignment}.")


@cohort.command("due")
@click.argument("assignment")
@click.argument("when")
@click.option("--late", type=click.Choice(["accept", "zero", "per-day"]), default="accept", show_default=True,
              help="What a late submission gets: no penalty, 0 points, or --percent taken per started day.")
@click.option("--percent", type=float, default=None, help="With --late per-day: share of the score taken per started day.")
def cohort_due(assignment, when, late, percent):
    """Set the due date WHEN ("2026-12-15 23:59", local time of the cohort's time zone) and the late policy."""
    from .deadlines import describe_rule, late_rule, set_due

    entry = set_due(_cohort(), assignment, when, late_rule(late, percent))
    click.echo(f"{assignment} due {entry['local']} {entry['timezone']} (= {entry['utc']} UTC); "
               f"late work: {describe_rule(entry['late'], 'en')}. Applies at the next autograde.")


@cohort.command("collect")
@click.argument("assignment")
@click.option("--from", "source", type=click.Path(exists=True, path_type=Path), default=None,
              help="A zip (e-mail, Moodle 'Download all submissions') or a folder of files, instead of the exchange.")
def cohort_collect(assignment, source):
    """Collect submissions from the exchange, or from a zip/folder with --from."""

    c = _cohort()
    c.require_assignment(assignment)
    if source is None:
        c.nbgrader("collect", assignment, "--update")
        click.echo(f"Collected {assignment}: {len(c.submitted_students(assignment))} submissions in the workspace.")
        return
    from .zip_collect import collect

    result = collect(c, assignment, source)
    for learner, notebooks in sorted(result.taken.items()):
        click.echo(f"  {learner}: {', '.join(notebooks)}; submitted {result.times[learner]}")
    for line in result.notes:
        click.echo(f"  note: {line}")
    for line in result.replaced:
        click.secho(f"  replaced: {line}", fg="yellow")
    for line in result.kept:
        click.secho(f"  not replaced: {line}", fg="yellow")
    if result.skipped:
        click.secho(f"  {len(result.skipped)} file(s) not collected; fix the name or the roster and collect again:", fg="yellow")
        for line in result.skipped:
            click.secho(f"    {line}", fg="yellow")
    click.echo(f"Collected {assignment} from {source}: {len(result.taken)} learner(s) in this batch, "
               f"{len(c.submitted_students(assignment))} submissions in the workspace.")


@cohort.command("autograde")
@click.argument("assignment")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel graders (default: one per core, plus one).")
@click.option("--timeout", type=click.IntRange(1, 3600), default=None, help="Seconds a cell may run (default 120).")
@click.option("--no-sandbox", is_flag=True, help="Run learners' code without bubblewrap (trusted submissions only).")
@click.option("--force", is_flag=True, help="Regrade also learners already graded from the same files.")
def cohort_autograde(assignment, jobs, timeout, no_sandbox, force):
    """Autograde every submission in parallel, sandboxed, with a progress bar; safe to stop and rerun."""
    from .autograde import autograde

    outcomes = autograde(_cohort(), assignment, jobs=jobs, sandbox=not no_sandbox, cell_timeout=timeout, force=force)
    failed = [o for o in outcomes if not o.ok]
    skipped = sum(o.skipped for o in outcomes)
    click.echo(f"Autograded {len(outcomes) - len(failed)} of {len(outcomes)} submissions of {assignment}"
               + (f" ({skipped} unchanged since an earlier run, kept; --force regrades them)." if skipped else "."))
    for o in failed:
        click.secho(f"  {o.student}: grading failed. {o.reason}", fg="yellow")
    if failed:
        sys.exit(1)


@cohort.command("feedback")
@click.argument("assignment")
def cohort_feedback(assignment):
    """Generate feedback (no hidden tests, no tracebacks of them) and release it to the learners."""

    from .feedback_release import release

    outcomes = release(_cohort(), assignment)
    for o in outcomes:
        if o.problem:
            click.secho(f"  {o.student}: no feedback: {o.problem}", fg="yellow")
        elif o.released:
            click.echo(f"  {o.student}: released; the learner fetches it in JupyterLab (Assignments, Fetch Feedback)")
        else:  # collected with --from (or copied in): the learner could not fetch it from the exchange
            click.echo(f"  {o.student}: submitted outside the exchange; send the learner "
                       f"{', '.join(str(f) for f in o.files)} (Moodle, e-mail)")
    failed = [o for o in outcomes if o.problem]
    fetch = sum(o.released for o in outcomes)
    click.echo(f"Feedback for {assignment}: {len(outcomes) - len(failed)} of {len(outcomes)} learners "
               f"({fetch} to fetch in JupyterLab, {len(outcomes) - len(failed) - fetch} to send).")
    if failed:
        sys.exit(1)


@cohort.command("export")
@click.option("--to", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for grades.csv and grades-moodle.csv (default: the workspace's reports/).")
def cohort_export(out_dir):
    """Export grades to grades.csv and grades-moodle.csv (UTF-8) for Moodle's CSV grade import: matched by
    e-mail, each assignment in % of its maximum, blank where a learner did not submit."""
    from .gradesheet import rows, write_csv, write_moodle_csv

    c = _cohort()
    out = out_dir or c.workspace / "reports"
    out.mkdir(parents=True, exist_ok=True)
    from .deadlines import refresh_late_penalties

    refresh_late_penalties(c.db_url, c.workspace)  # late rule on manual grades too
    table = rows(c.db_url)
    write_csv(table, out / "grades.csv")
    left_out = write_moodle_csv(table, out / "grades-moodle.csv")
    click.echo(f"Wrote {out / 'grades.csv'} and {out / 'grades-moodle.csv'} ({len(table)} rows).")
    click.echo("grades-moodle.csv: % of each assignment's maximum, blank = did not submit; in Moodle's CSV import "
               "map 'Email address' to 'Email address' and each '(%)' column to a grade item with maximum 100.")
    for line in left_out:
        click.echo(f"  not in grades-moodle.csv: {line}")


@cohort.command("report")
@click.option("--lang", type=click.Choice(["bg", "en"]), default="bg", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: the workspace's reports/report-LANG.html).")
def cohort_report(lang, out):
    """Write the cohort report: charts, who has not submitted, late work, why points were lost (one HTML file)."""
    from .cohort_report import write_report

    click.echo(f"Report: {write_report(_cohort(), lang, out)}")


@cohort.command("status")
@click.option("--assignment", default=None, help="One assignment, learner by learner.")
def cohort_status(assignment):
    """Where the cohort stands: released, due, submitted (late), graded, failed; read-only."""
    from .cohort_status import report

    click.echo(report(_cohort(), assignment))


def _course_title(c) -> str:
    import yaml

    return yaml.safe_load((c.root / "_config.yml").read_text(encoding="utf-8")).get("title", "civickit")


@cohort.command("certificates")
@click.option("--threshold", type=float, default=60, show_default=True, help="Minimum share of all points, in %.")
@click.option("--hours", type=click.IntRange(1, 10000), required=True, help="Length of the course in teaching hours.")
@click.option("--course", default=None, help="Course name (default: the book's title in _config.yml).")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date on the certificates (default: today).")
@click.option("--force", is_flag=True, help="Overwrite certificates that already exist.")
def cohort_certificates(threshold, hours, course, day, force):
    """One PDF certificate per learner at or above the threshold (workspace's certificates/)."""
    from datetime import date

    from .certificates import issue

    c = _cohort()
    result = issue(c, threshold, course or _course_title(c), hours, day.date() if day else date.today(), force=force)
    for path in result.written:
        click.echo(f"  wrote {path}")
    for path in result.kept:
        click.secho(f"  kept {path} (exists; --force overwrites)", fg="yellow")
    click.echo(f"{len(result.written)} certificate(s) written, {len(result.kept)} kept, "
               f"{len(result.below)} learner(s) below {threshold:g} %.")


@cohort.command("checkout")
@click.option("--threshold", type=float, default=60, show_default=True,
              help="Minimum share of all assignment points, in % (as for `cohort certificates`).")
@click.option("--min-peers", type=click.IntRange(0, 50), default=2, show_default=True,
              help="Peers' rubric sheets needed besides the trainer's.")
@click.option("--course", default=None, help="Course name (default: the book's title in _config.yml).")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date on the certificates (default: today).")
@click.option("--force", is_flag=True, help="Overwrite trainer certificates that already exist.")
def cohort_checkout(threshold, min_peers, course, day, force):
    """Trainer checkout: a trainer certificate (workspace's trainer-certificates/<id>-trainer.pdf) for each learner
    who passed the teach-back and the assignments; a table says why the others did not.

    Teach-back: each scorer's latest sheet from the rubric app counts; a trainer's sheet and at least
    --min-peers peers' sheets are needed, all sheets weigh the same, and their means must pass the rubric
    (every criterion at least 1, total at least 8 of 12). Assignments: the share of all points after late
    penalties, a missing submission counting 0, as for `cohort certificates`."""
    from datetime import date

    from .teachback_checkout import checkout, table_lines

    c = _cohort()
    standings = checkout(c, threshold, min_peers, course or _course_title(c), day.date() if day else date.today(),
                         force=force)
    for line in table_lines(standings):
        click.echo(line)
    for s in standings:
        if s.kept:
            click.secho(f"  kept {s.certificate} (exists; --force overwrites)", fg="yellow")
        elif s.certificate:
            click.echo(f"  wrote {s.certificate}")
    passed = sum(s.passed for s in standings)
    click.echo(f"{passed} of {len(standings)} learner(s) passed the checkout; "
               f"{sum(bool(s.certificate) and not s.kept for s in standings)} trainer certificate(s) written, "
               f"{sum(s.kept for s in standings)} kept.")


@cohort.command("erase")
@click.argument("student")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def cohort_erase(student, yes):
    """Erase one learner (GDPR): their files, rows and records, found by their id; nobody else's."""
    from .erase import erase

    if not yes:
        click.confirm(f"Erase every trace of '{student}' from the cohort? This cannot be undone", abort=True)
    result = erase(_cohort(), student)
    for line in result.removed:
        click.echo(f"  {line}")
    click.echo(f"Learner '{student}' erased.")
    if result.left:  # text the kit does not structure (e.g. another learner's answer): the trainer decides
        click.secho(f"{len(result.left)} file(s) still mention '{student}', left unchanged; check them by hand:", fg="yellow")
        for line in result.left:
            click.secho(f"  {line}", fg="yellow")
        sys.exit(1)


@main.command()
@click.option("--learners", default=30, show_default=True, type=click.IntRange(2, 500))
@click.option("--assignment", default="public-consultation", show_default=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel graders (default: one per core, plus one).")
@click.option("--repeat", default=1, show_default=True, type=click.IntRange(1, 20),
              help="Pairs of runs (alternating order); figures are medians. Use 3+ on a shared machine.")
def benchmark(learners, assignment, jobs, repeat):
    """Time parallel autograding against sequential nbgrader on the same synthetic cohort."""
    from .benchmark import run
    from .paths import course_root

    figures = run(course_root(), assignment, learners, jobs, repeat)
    for i, p in enumerate(figures["pairs"], 1) if repeat > 1 else ():
        click.echo(f"pair {i}: sequential {p['sequential_s']:.1f} s, parallel {p['parallel_s']:.1f} s, "
                   f"speed-up {p['speedup']:.2f}x")
    median = "median " if repeat > 1 else ""
    click.echo(f"learners: {figures['learners']} (graded without error in parallel: {figures['graded_ok']})")
    click.echo(f"sequential nbgrader autograde: {median}{figures['sequential_s']:.1f} s ({figures['sequential_s_per_submission']:.2f} s/submission)")
    click.echo(f"parallel civickit autograde:   {median}{figures['parallel_s']:.1f} s ({figures['parallel_s_per_submission']:.2f} s/submission)")
    click.echo(f"speed-up: {median}{figures['speedup']:.2f}x; peak memory of one grading process: {figures['peak_child_rss_mb']:.0f} MB")


@main.command("voila-benchmark")
@click.option("--app", default="paris-participatory-budget.ipynb", show_default=True, help="Notebook under practices/.")
@click.option("--learners", default=30, show_default=True, type=click.IntRange(1, 200), help="Pages opening the app at once.")
@click.option("--rounds", default=3, show_default=True, type=click.IntRange(1, 20), help="First renders timed per setting.")
def voila_benchmark(app, learners, rounds):
    """Time an app's first render in Chromium (preheated public mode vs Voila's defaults) and a class opening it at once."""
    from .paths import course_root
    from .voila_benchmark import run

    f = run(course_root(), app, learners, rounds)
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    click.echo(f"app: practices/{f['app']} (Chromium; times from navigation)")
    for shown, what in (("", "app on screen (first frame or live)"), ("_live", "app ready to use (live widgets)")):
        click.echo(f"{what}:")
        click.echo(f"  Voila defaults:  median {f[f'default{shown}_median_s']:.2f} s (runs: {runs(f[f'default{shown}_s'])})")
        click.echo(f"  kit public mode: median {f[f'kit{shown}_median_s']:.2f} s (runs: {runs(f[f'kit{shown}_s'])})")
        click.echo(f"  ratio kit/default: {f[f'ratio{shown}']:.2f}" + (" (goal: at most 0.33)" if not shown else ""))
    click.echo(f"page sent by the server (no browser): default median {f['default_html_median_s']:.2f} s, "
               f"kit median {f['kit_html_median_s']:.2f} s, ratio {f['html_ratio']:.2f}")
    click.echo(f"{f['learners']} learners at once (kit public mode): rendered {f['rendered']}/{f['learners']}, "
               f"errors {len(f['errors'])}; on screen p50 {f['p50_s']:.2f} s, p95 {f['p95_s']:.2f} s; "
               f"ready to use p50 {f['p50_live_s']:.2f} s, p95 {f['p95_live_s']:.2f} s")
    for why in sorted(set(f["errors"]))[:5]:
        click.echo(f"  error: {why}")
    click.echo(f"{f['learners']} at once, server only (HTTP, no browser): served {f['html_served']}/{f['learners']}, "
               f"errors {len(f['html_errors'])}, p50 {f['html_p50_s']:.2f} s, p95 {f['html_p95_s']:.2f} s")
    click.echo(f"memory of the server and its kernels: {f['idle_mb']:.0f} MB before, peak {f['peak_mb']:.0f} MB")
    click.echo(f"server logs: {f['logs']}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; use 0.0.0.0 on a public server behind a proxy.")
@click.option("--port", default=8866, show_default=True, type=click.IntRange(1, 65535))
@click.option("--cull-idle", default=600, show_default=True, type=click.IntRange(2, 86400),
              help="Seconds after which the kernel of an app nobody has open is stopped.")
@click.option("--cell-timeout", default=60, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds a cell may run while an app opens before it is interrupted.")
@click.option("--pool-size", default=1, show_default=True, type=click.IntRange(0, 20),
              help="Preheated kernels kept ready per app (about 100 MB each; 0 = start on request).")
def public(host, port, cull_idle, cell_timeout, pool_size):
    """Serve only the case studies and tools, without login (standalone Voila, code hidden)."""
    import os

    from .paths import course_root, kit_environment
    from .public_mode import command
    from .start import check_port_free

    root = course_root()
    check_port_free(host, port)
    cmd = command(root, host, port, cull_idle=cull_idle, cell_timeout=cell_timeout, pool_size=pool_size)
    click.echo(f"Case studies: http://{host}:{port}/  (Ctrl+C stops)")
    os.execve(cmd[0], cmd, kit_environment(root))


@main.group(cls=KitGroup, context_settings=CONTEXT)
def hub():
    """A JupyterHub for a cohort on this server (deploy/hub, deploy/README.md)."""


@hub.command("start")
@click.option("--trainer", "trainers", multiple=True, required=True, help="Hub name of a trainer (repeat); trainers approve sign-ups.")
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address of the hub; keep loopback behind a TLS proxy.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--state", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Hub database and secrets (default: the cohort workspace's hub/).")
@click.option("--exchange", type=click.Path(file_okay=False, path_type=Path), default=Path("/srv/nbgrader/exchange"), show_default=True)
@click.option("--home-base", type=click.Path(file_okay=False, path_type=Path), default=Path("/home"), show_default=True)
@click.option("--user-prefix", default="jupyter-", show_default=True, help="Prefix of each learner's Linux account.")
@click.option("--idle-timeout", default=3600, show_default=True, type=click.IntRange(10), help="Seconds before an idle server is stopped.")
@click.option("--memory-limit", default="4G", show_default=True, help="Address-space limit of each user's server and kernels (0 = none).")
@click.option("--course-id", default="civickit", show_default=True)
@click.option("--group", default="civickit-hub", show_default=True, help="Linux group of every hub account.")
@click.option("--hub-port", default=8081, show_default=True, type=click.IntRange(1, 65535), help="The hub's internal API port (loopback).")
@click.option("--proxy-api-port", default=0, type=click.IntRange(0, 65535), help="The proxy's API port (loopback; default: --port + 1).")
def hub_start(trainers, ip, port, state, exchange, home_base, user_prefix, idle_timeout, memory_limit, course_id, group, hub_port, proxy_api_port):
    """Start JupyterHub (foreground; Ctrl+C stops it and every learner's server)."""
    import os

    from .hub import HubSettings, check_interpreter, check_machine, command, environment, prepare
    from .paths import course_root, workspace
    from .start import check_port_free

    root = course_root()
    s = HubSettings(root=root, state=(state or workspace(root) / "hub").resolve(), port=port, ip=ip,
                    trainers=list(trainers), exchange=exchange.resolve(), home_base=home_base.resolve(),
                    user_prefix=user_prefix, idle_timeout=idle_timeout, memory_limit=memory_limit, course_id=course_id,
                    group=group, hub_port=hub_port, proxy_api_port=proxy_api_port)
    check_machine(s)
    check_port_free(ip, port)
    env = environment(s)  # checks the memory limit before anything is created
    prepare(s)
    check_interpreter(s)
    click.echo(f"JupyterHub: http://{ip}:{port}/  trainers: {', '.join(trainers)}  (Ctrl+C stops)")
    click.echo(f"Learners sign up at /hub/signup; a trainer approves them at /hub/authorize. State: {s.state}")
    os.chdir(s.state)
    cmd = command(s)
    os.execve(cmd[0], cmd, env)
