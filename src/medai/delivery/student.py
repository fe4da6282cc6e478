"""A student's workspace: released material only, and Jupyter set up for the student role.

A workspace is a folder the student owns (a home on a hub, a folder on a
laptop). It holds the synced lessons, the assignments nbgrader fetches into
``<course_id>/`` and the student's feedback. Its Jupyter configuration names
the course and the exchange and nothing else: no course folder, no gradebook,
and nbgrader's instructor tools (Formgrader, Create Assignment, Course List)
switched off.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from medai.delivery import lessons

CONFIG_FOLDER = ".medai/jupyter"
# nbgrader's instructor-only parts, as Jupyter Server and JupyterLab name them
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)
INSTRUCTOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
# JupyterLab's news and update check: it asks the internet, which a classroom may not have
# (course/labconfig/page_config.json turns it off for instructors)
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


@dataclass(frozen=True)
class Course:
    """What a student's side needs to know of a course."""

    course_id: str
    exchange: Path | None  # None: lessons only (no assignments), from the installed package
    timezone: str = "UTC"
    lessons_from: Path | None = None  # instead of the exchange's published lessons
    language: str = "en"  # of the lessons and of JupyterLab's interface

    @property
    def published(self) -> Path | None:
        if self.lessons_from is not None:
            return self.lessons_from
        if self.exchange is None:
            return None
        return lessons.published_folder(self.exchange, self.course_id, self.language)


def write_config(course: Course, workspace: Path) -> Path:
    """Write the student-role Jupyter configuration into the workspace; return its folder."""
    folder = workspace / CONFIG_FOLDER
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    nbgrader = (
        "# Written by `medai student start`: the student's view of the course.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course.course_id!r}\n"
        f"c.Exchange.timezone = {course.timezone!r}\n"
    )
    if course.exchange is not None:
        nbgrader += (f"c.Exchange.root = {str(course.exchange)!r}\n"
                     "c.Exchange.path_includes_course = True\n")
    (folder / "nbgrader_config.py").write_text(nbgrader, encoding="utf-8")
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS,
                                                                  False)}}
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1) + "\n",
                                                       encoding="utf-8")
    page = {"disabledExtensions": dict.fromkeys((*INSTRUCTOR_LAB_PLUGINS, NEWS_PLUGIN), True)}
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1) + "\n",
                                                           encoding="utf-8")
    return folder


def prepare(course: Course, workspace: Path) -> tuple[list[lessons.Synced], dict[str, str]]:
    """Sync lessons and write the configuration; return what happened and the environment
    Jupyter must start with."""
    if course.exchange is not None and not course.exchange.is_dir():
        raise lessons.LessonsError(
            f"no course exchange at {course.exchange}: check the --exchange (or "
            "$MEDAI_EXCHANGE) your instructor gave you")
    workspace.mkdir(parents=True, exist_ok=True)
    config = write_config(course, workspace)
    if course.language != "en":
        choose_lab_language(course.language)
    published = course.published
    synced = lessons.sync(published, workspace) if published and published.is_dir() else []
    return synced, environment(config)


# JupyterLab's language: its translation plugin's setting, and the language pack's locale
LAB_LANGUAGE_SETTING = "@jupyterlab/translation-extension/plugin.jupyterlab-settings"
LAB_LOCALES = {"ko": "ko_KR"}


def choose_lab_language(language: str) -> Path | None:
    """Set JupyterLab's interface language (the language pack is installed with the
    course) unless the person already chose one: their setting is never overwritten.
    Returns the settings file written, or None."""
    root = os.environ.get("JUPYTERLAB_SETTINGS_DIR") or Path.home() / ".jupyter" / "lab" \
        / "user-settings"
    setting = Path(root) / LAB_LANGUAGE_SETTING
    if setting.exists() or language not in LAB_LOCALES:
        return None
    setting.parent.mkdir(parents=True, exist_ok=True)
    setting.write_text(json.dumps({"locale": LAB_LOCALES[language]}, indent=1) + "\n",
                       encoding="utf-8")
    return setting


def environment(config: Path) -> dict[str, str]:
    """The environment Jupyter starts with: only the workspace's configuration, never a
    course folder's nbgrader_config.py."""
    return {**os.environ, "JUPYTER_CONFIG_PATH": str(config)}


def describe(synced: list[lessons.Synced], workspace: Path, language: str = "en") -> list[str]:
    """One line per lesson that changed, for the student to read, in their language."""
    from medai.i18n import message

    lines = []
    for item in synced:
        where = item.path.relative_to(workspace)
        if item.state == "new":
            lines.append(message("new      {where}", language, where=where))
        elif item.state == "updated":
            lines.append(message("updated  {where}", language, where=where))
        elif item.state == "news":
            lines.append(message("news     {where} (what changed in this version)", language,
                                 where=where))
        elif item.state == "kept":
            lines.append(message("kept     {where} (your copy; the new version is {beside})",
                                 language, where=where,
                                 beside=item.beside.relative_to(workspace)))
    return lines
