"""Each participant text in every language of the workshop, for the export tables: after
a text's own columns, two columns per workshop language and field, "Title [es]" (the text
in that language: the original in its own language, else its translation, or empty) and
"Title [es]: source" ("Original", "Machine translation", "Translated by …").

Translations are those of the current wording (services/translated.py), read once per
table; who translated by hand is named where the exporter sees names.
"""

from flask_babel import gettext as _

from ..services import translated


class Languages:
    """The language columns of one table: `headers` once, `cells(...)` per row."""

    def __init__(self, scope, subject, fields):
        self.scope = scope
        self.subject = subject
        self.fields = fields  # (field name, translated label)
        self.languages = sorted({s.language for s in scope.workshop.sessions})
        self.found = None

    def headers(self):
        return [
            header
            for _field, label in self.fields
            for lang in self.languages
            for header in (
                _("%(field)s [%(lang)s]", field=label, lang=lang),
                _("%(field)s [%(lang)s]: source", field=label, lang=lang),
            )
        ]

    def _source(self, entry):
        if entry["origin"] != "human":
            return _("Machine translation")
        if entry["by"] and self.scope.names:
            return _("Translated by %(name)s", name=entry["by"])
        return _("Human translation")

    def cells(self, subject_id, texts, text_lang):
        """The columns of one row: `texts` {field: original} written in `text_lang`."""
        if self.found is None:
            self.found = translated.of_workshop(self.scope.workshop.id)[self.subject]
        mine = self.found.get(subject_id, {})
        row = []
        for field, _label in self.fields:
            for lang in self.languages:
                if lang == text_lang:
                    row += [texts[field], _("Original")]
                    continue
                entry = mine.get(lang, {}).get(field)
                row += [entry["text"], self._source(entry)] if entry else ["", ""]
        return row
