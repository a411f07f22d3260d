"""Facilitators' events for merging duplicates: suggestions, and pairs dismissed as not
the same. Accepting a suggestion is `item:merge`, undoing it `item:unmerge`."""

from ..services import merging, workshops
from .common import acknowledged, current_facilitator, payload


def _workshop(data):
    return workshops.workshop_for(current_facilitator(), payload(data).get("workshop_id"))


class MergingEvents:
    @acknowledged
    def on_merge_suggestions(self, data):
        """The workshop's suggested duplicates, best first, and the pairs dismissed as not
        the same; nothing is broadcast."""
        workshop = _workshop(data)
        return {
            "suggestions": merging.suggestions(workshop),
            "dismissed": [list(pair) for pair in sorted(merging.dismissed_pairs(workshop.id))],
        }

    @acknowledged
    def on_merge_dismiss(self, data):
        """A suggested pair is not the same: it is not suggested again; broadcasts
        `merge:dismissed` to the workshop's facilitators."""
        return {"item_ids": merging.dismiss(_workshop(data), data), "dismissed": True}

    @acknowledged
    def on_merge_restore(self, data):
        """Take a dismissal back; broadcasts `merge:dismissed` with `dismissed` false."""
        return {"item_ids": merging.restore(_workshop(data), data), "dismissed": False}
