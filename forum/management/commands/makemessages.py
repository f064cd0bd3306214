"""`manage.py makemessages`, which also reads the Jinja2 templates (templates/jinja2/).

Django's command reads Python files and Django templates; a Jinja2 template run through
Django's template lexer would lose its `{{ _("...") }}` calls that take arguments. So a
Jinja2 template is read by Jinja2's own extractor (the i18n extension's, which finds
`_()`, `gettext()`, `ngettext()`, `pgettext()` and `{% trans %}` blocks) and handed to
xgettext as a Python file with one call per message on the line it came from, so the
catalogue's `#:` references point at the template's real lines.

Use: `python manage.py makemessages -l zh_Hant` (GNU gettext's xgettext must be
installed; the compiled catalogue is committed, so running the site does not need it).
"""

import os

from django.core.management.commands import makemessages
from jinja2 import Environment

JINJA2_FOLDER = os.path.join("templates", "jinja2") + os.sep


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def jinja2_as_python(source: str) -> str:
    """The messages of a Jinja2 template as Python gettext calls, each on its own line."""
    environment = Environment(extensions=["jinja2.ext.i18n"])
    lines = [""] * (source.count("\n") + 1)
    functions = ("_", "gettext", "ngettext", "pgettext", "npgettext")
    for lineno, function, message in environment.extract_translations(source, functions):
        parts = message if isinstance(message, tuple) else (message,)
        strings = [_literal(part) for part in parts if isinstance(part, str)]
        if not strings:
            continue
        if function == "_":
            function = "gettext"
        if function in {"ngettext", "npgettext"}:
            strings.append("1")
        call = f"{function}({', '.join(strings)})"
        lines[lineno - 1] = f"{lines[lineno - 1]}; {call}" if lines[lineno - 1] else call
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    @property
    def is_jinja2(self) -> bool:
        return JINJA2_FOLDER in os.path.join(self.translatable.dirpath, "")

    def preprocess(self):
        if not (self.is_templatized and self.is_jinja2):
            return super().preprocess()
        with open(self.path, encoding="utf-8") as fp:
            content = jinja2_as_python(fp.read())
        with open(self.work_path, "w", encoding="utf-8") as fp:
            fp.write(content)


class Command(makemessages.Command):
    build_file_class = BuildFile
    # No fuzzy guesses: a new message starts untranslated (and the catalogue test says
    # so) rather than with the translation of a similar-looking one.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        # The project's own strings only: the virtualenv and installed packages (which
        # ship their own catalogues) and generated folders are never scanned.
        options["ignore_patterns"] = [
            *options.get("ignore_patterns", []),
            ".venv/*",
            "node_modules/*",
            "staticfiles/*",
            "artifacts/*",
            "bench/*",
        ]
        options.setdefault("no_obsolete", True)
        return super().handle(*args, **options)
