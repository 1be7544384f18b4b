"""``manage.py compilemessages`` runs our ``compile_translations``.

Django's own command would compile the .po files with GNU msgfmt but write no
catalogue for Sindhi, Pashto or Punjabi, which borrow Urdu's, so those pages
would fall back to English. One name that does the right thing is safer than a
docstring asking people to remember the other.
"""

from .compile_translations import Command as CompileTranslations


class Command(CompileTranslations):
    help = CompileTranslations.help + " (the same as compile_translations)"

    def add_arguments(self, parser):
        # Accept Django's usual options so scripts written for it keep working;
        # every catalogue is compiled either way.
        parser.add_argument("--locale", "-l", action="append", default=[])
        parser.add_argument("--exclude", "-x", action="append", default=[])
        parser.add_argument("--use-fuzzy", "-f", action="store_true")
        parser.add_argument("--ignore", "-i", action="append", default=[])
