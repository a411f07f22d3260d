"""`translation:correct`: a person replaces the machine's translation of a text."""

from flask import current_app, session

from ..domain.errors import RuleError
from ..services import translations
from .common import acknowledged, current_facilitator, current_participant, payload


class TranslationEvents:
    @acknowledged
    def on_translation_correct(self, data):
        """A workshop's facilitator, or the text's author where the workshop lets authors
        translate, stores their translation of one field into one language; it wins over
        the machine while the text stays the same. Broadcasts the subject again
        (`initiative:upserted` or `items:upserted`) with its translations."""
        if session.get("live_participant"):
            participant = current_participant()
            draft, thing = translations.subject_for(payload(data))
            if not translations.may_correct(thing, participant=participant):
                raise RuleError("forbidden")
            by = participant.display_name
        else:
            facilitator = current_facilitator()
            draft, thing = translations.subject_for(payload(data))
            if not translations.may_correct(thing, facilitator=facilitator):
                raise RuleError("not_found")
            by = facilitator.name
        languages = current_app.config["LANGUAGES"]
        return {"translation": translations.correct(draft, thing, by, languages)}
