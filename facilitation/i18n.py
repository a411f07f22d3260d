"""Locale choice and every sentence the server sends or a script shows, in one catalogue."""

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l

from .domain.phases import Phase

ERRORS = {
    "invalid": _l("Please correct the highlighted fields."),
    "bad_request": _l("The request could not be understood."),
    "phase_closed": _l("Closed now (not in this phase, or its time is up): nothing was saved."),
    "not_found": _l("This item no longer exists or is not yours to see."),
    "forbidden": _l("You can only change your own initiatives."),
    "unauthorized": _l("Please join the session or sign in first."),
    "unknown_code": _l("There is no session with this code. Check the code and try again."),
    "session_closed": _l("This session has ended and no longer accepts participants."),
    "token_invalid": _l("This link has already been used or is no longer valid."),
    "bad_credentials": _l("The email or password is not correct."),
    "rate_limited": _l("Too many attempts. Please wait a minute and try again."),
    "unavailable": _l("The server could not do this right now. Please try again."),
    "server_error": _l("Something went wrong on the server. Your work is kept; try again."),
    "busy": _l("The server is busy. Your change is kept and will be sent again in a moment."),
    "no_dots_left": _l("You have no dots left. Take one back to place it elsewhere."),
    "item_limit": _l("You have placed the most dots allowed on this item."),
    "no_dot_here": _l("You have no dot on this item to take back."),
    "sdg_limit": _l("You have chosen the most SDGs allowed for this axis."),
    "mixed_kinds": _l("Barriers and enablers cannot be merged with each other."),
    "not_merged": _l("This item is not part of a merged group."),
    "votes_exist": _l("Voting has started: the budget can no longer change."),
    "kind_has_votes": _l("This item already has dots: it can no longer change kind."),
    "unknown_event": _l("The server does not know this request."),
    "pdf_unavailable": _l(
        "PDF files cannot be made on this server. Open the report and use your browser's "
        "Print, then Save as PDF."
    ),
    "import_invalid": _l("This file cannot be imported; nothing was changed."),
}

FIELD_ERRORS = {
    "required": _l("This field is required."),
    "too_long": _l("Use at most %(max)s characters."),
    "too_short": _l("Use at least %(min)s characters."),
    "invalid": _l("This value is not valid."),
    "unknown": _l("Choose one of the options offered."),
    "taken": _l("An account with this email already exists."),
    "above_budget": _l("This cannot be more than the dots per participant."),
}

FIELD_OVERRIDES = {
    ("sdgs", "required"): _l("Choose at least one SDG."),
    ("axis", "required"): _l("Choose one axis."),
    ("link", "invalid"): _l("Enter a full web address starting with http:// or https://."),
    ("date", "invalid"): _l("Enter a date."),
    ("email", "invalid"): _l("Enter a valid email address."),
    ("kind", "required"): _l("Choose barrier or enabler."),
    ("item_ids", "too_short"): _l("Select at least two items of the same kind to merge."),
    ("minutes", "invalid"): _l("Enter a number of minutes above 0 and at most 240."),
}


def field_message(field, code, limit=""):
    """The sentence for a field error; `limit` fills "at most / at least N characters"."""
    if (field, code) in FIELD_OVERRIDES:
        return str(FIELD_OVERRIDES[(field, code)])
    return str(FIELD_ERRORS.get(code, FIELD_ERRORS["invalid"])) % {"max": limit, "min": limit}


def error_payload(error):
    """The `{"error": ...}` acknowledgement for a RuleError, in the caller's language."""
    return {
        "error": {
            "code": error.code,
            "message": str(ERRORS.get(error.code, ERRORS["bad_request"])),
            "fields": {
                field: {
                    "code": code,
                    "message": field_message(field, code, error.limits.get(field, "")),
                }
                for field, code in error.fields.items()
            },
        }
    }


def select_locale():
    """The language the viewer chose, else the best match for their browser."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


# every sentence a script shows; pages embed them as JSON (see _js_strings.html)
JS_STRINGS = {
    "connecting": _l("Connecting…"),
    "online": _l("Connected: all saved"),
    "reconnecting": _l("Reconnecting… your work is kept"),
    "offline": _l("Offline: your work is kept and will be sent when the connection returns"),
    "pending": _l("Sending saved changes: %(count)s"),
    "phase_lobby": _l("Please wait: the facilitator will start the next activity shortly."),
    "phase_initiatives": _l("Initiatives are open: share the good practices of your city."),
    "phase_closed": _l("This session is closed. Thank you for taking part."),
    "posted": _l("Your initiative was posted."),
    "updated": _l("Your initiative was updated."),
    "withdrawn": _l("Your initiative was withdrawn."),
    "queued": _l("Saved on this device. It will be sent when the connection returns."),
    "failed_queued": _l("A change you made offline could not be saved: %(message)s"),
    "new_initiatives": _l("New initiatives on the board: %(count)s"),
    "edit": _l("Edit"),
    "withdraw": _l("Withdraw"),
    "confirm_withdraw": _l("Withdraw this initiative? It will disappear from the board."),
    "save_changes": _l("Save changes"),
    "post": _l("Post initiative"),
    "editing": _l("Editing your initiative. Save or cancel."),
    "by": _l("%(name)s, %(organisation)s (%(country)s)"),
    "empty_axis": _l("No initiatives yet."),
    "axis_on_older_pages": _l("None among the initiatives shown."),
    "sdg": _l("SDG %(number)s"),
    "sdgs_label": _l("Sustainable Development Goals"),
    "link": _l("Web link"),
    "opens_new_window": _l("(opens in a new tab)"),
    "count_initiatives": _l("Initiatives: %(count)s"),
    "board_shown": _l("Initiatives shown: %(shown)s of %(total)s"),
    "show_older": _l("Show older initiatives"),
    "required_title": _l("This field is required."),
    "required_axis": _l("Choose one axis."),
    "required_sdgs": _l("Choose at least one SDG."),
    "error_generic": _l("Something went wrong on the server. Your work is kept; try again."),
    "open": _l("Open initiatives"),
    "close": _l("Close initiatives"),
    "phase_name_lobby": _l("Lobby"),
    "phase_name_initiatives": _l("Initiatives"),
    "phase_name_closed": _l("Closed"),
    "combined": _l("All sessions combined"),
    "total": _l("Initiatives on this axis"),
    "nothing_yet": _l("Nothing yet."),
    "rank": _l("No. %(rank)s"),
    "dots_count": _l("Dots: %(count)s"),
    "time_left": _l("Time left: %(time)s"),
    "time_up": _l("Time is up."),
    "time_up_closed": _l("Time is up: closed for new contributions."),
    "countdown_paused": _l("Paused: %(time)s left"),
    "step_next": _l("Next: %(phase)s"),
    "step_back": _l("Back: %(phase)s"),
    "pause": _l("Pause"),
    "resume": _l("Resume"),
    "phase_now": _l("Phase: %(phase)s"),
    "one_minute": _l("One minute left."),
    "phase_proposing": _l("Propose the barriers and enablers of innovation in your city."),
    "phase_voting": _l("Vote: place your dots on the barriers and enablers that matter most."),
    "phase_sdg_picks": _l("Choose the main SDGs for each axis."),
    "phase_results": _l("Results. Thank you for your contributions."),
    "phase_name_proposing": _l("Barriers and enablers"),
    "phase_name_voting": _l("Voting"),
    "phase_name_sdg_picks": _l("SDGs per axis"),
    "phase_name_results": _l("Results"),
    "barrier": _l("Barrier"),
    "enabler": _l("Enabler"),
    "barriers": _l("Barriers"),
    "enablers": _l("Enablers"),
    "proposed": _l("Your proposal was added."),
    "add_dot": _l("Add a dot"),
    "remove_dot": _l("Remove a dot"),
    "add_dot_to": _l("Add a dot to: %(text)s"),
    "remove_dot_from": _l("Remove a dot from: %(text)s"),
    "my_dots": _l("Your dots: %(count)s"),
    "dots_left": _l("Dots left: %(count)s"),
    "no_dots_left": _l("No dots left"),
    "dots_left_kind": _l("%(kind)s: %(left)s"),
    "picked_count": _l("Chosen: %(count)s of %(limit)s"),
    "results_hidden": _l("The results are shown on the main screen."),
    "proposed_by_facilitator": _l("Added by the facilitator"),
    "hidden_item": _l("Hidden from participants"),
    "hide": _l("Hide"),
    "show": _l("Show again"),
    "correct": _l("Correct wording"),
    "save": _l("Save"),
    "cancel": _l("Cancel"),
    "unmerge": _l("Separate from group"),
    "merged_with": _l("Merged group"),
    "select_for_merge": _l("Select for merging: %(text)s"),
    "merge_need_two": _l("Select at least two items of the same kind to merge."),
    "merged": _l("Items merged."),
    "saved": _l("Saved."),
    "not_voted": _l("Participants: %(participants)s · not voted yet: %(not_voted)s"),
    "no_axis": _l("No axis"),
    "required_kind": _l("Choose barrier or enabler."),
    "room_join_at": _l("Join at %(host)s"),
    "room_code": _l("Code"),
    "room_joined": _l("Joined: %(count)s"),
    "room_step_lobby": _l("Scan the QR code, or go to the address and type the code."),
    "room_step_initiatives": _l("On your phone: post the good practices of your city."),
    "room_step_proposing": _l("On your phone: propose barriers and enablers."),
    "room_step_voting": _l("On your phone: place your dots on what matters most."),
    "room_step_sdg_picks": _l("On your phone: choose the main SDGs of each axis."),
    "room_step_results": _l("What the group decided."),
    "room_step_closed": _l("It is over. Thank you for taking part."),
    "room_more": _l("and %(count)s more"),
    "room_voted": _l("Voted: %(voted)s of %(participants)s · not yet: %(not_voted)s"),
    "room_results_hidden": _l("The results are hidden until the facilitator reveals them."),
    "room_session": _l("Session: %(name)s"),
    "room_thanks": _l("Thank you!"),
    "room_participants": _l("Participants"),
    "room_places": _l("Cities and organisations"),
    "room_countries": _l("Countries"),
    "room_initiatives": _l("Initiatives"),
    "room_items": _l("Barriers and enablers"),
    "room_dots": _l("Dots"),
    "room_dots_on": _l("Dots: %(count)s"),
    "room_from": _l("Dots by session: %(parts)s"),
    "room_legend": _l("Colour: how often chosen (pale: none)"),
    "room_legend_initiatives": _l("Colour: how many initiatives (pale: none)"),
    "room_none": _l("none"),
    "room_most": _l("most"),
    "room_new": _l("New"),
    "room_per_axis": _l("Per axis"),
    "sending": _l("Sending…"),
    "board_empty": _l("No initiatives yet. Yours can be the first."),
    "items_empty": _l("None yet. Add yours above."),
    "reason_no_dots": _l("You cannot add a dot: no dots left."),
    "reason_time_up": _l("Time is up: voting is closed."),
    "reason_item_limit": _l("You cannot add a dot: at most %(count)s on one item."),
    "dot_placed": _l("Dot placed on: %(text)s. %(left)s."),
    "dot_taken_back": _l("Dot taken back from: %(text)s. %(left)s."),
    "chosen_of": _l("%(count)s of %(limit)s chosen"),
    "chosen_full": _l("%(count)s of %(limit)s chosen: take one off to choose another."),
    "picks_hint": _l("Up to %(limit)s SDGs for each of the %(total)s axes, one axis at a time."),
    "sdg_chosen": _l("Chosen for %(axis)s: SDG %(sdg)s."),
    "sdg_unchosen": _l("Taken off %(axis)s: SDG %(sdg)s."),
    "next_axis": _l("Next axis"),
    "review_choices": _l("Review your choices"),
    "change": _l("Change"),
    "none_chosen": _l("None chosen yet."),
    "chosen_by": _l("Chosen by %(count)s"),
    "hidden_by_facilitator": _l("Hidden by the facilitator"),
    "hidden_own": _l("Hidden by the facilitator: only you can see it."),
    "original_wording": _l("Original: %(text)s"),
    "field_title": _l("Title"),
    "field_description": _l("Description"),
    "moderation_hidden": _l("Hidden from participants."),
    "moderation_shown": _l("Shown to participants again."),
    "moderation_corrected": _l("Wording corrected."),
    "count_shown_hidden": _l("%(shown)s shown, %(hidden)s hidden"),
    "merge_selected_count": _l("Selected: %(count)s"),
    "merge_accept": _l("Merge"),
    "merge_dismiss": _l("Not the same"),
    "merge_dismissed": _l("Marked as not the same."),
    "merge_separated": _l("Separated from the group."),
    "merge_undo_merge": _l("Undo the merge"),
    "merge_undo_dismiss": _l("Undo: suggest the pair again"),
    "merge_undone": _l("Undone."),
    "merge_score": _l("Similarity: %(score)s"),
    "merge_reason_words": _l("Same words: %(terms)s"),
    "merge_reason_translation": _l("Through the translation: %(terms)s"),
    "merge_reason_cognates": _l("Similar words: %(terms)s"),
    "merge_reason_numbers": _l("Same numbers: %(terms)s"),
    "merge_reason_names": _l("Same names: %(terms)s"),
    "merge_no_suggestions": _l("No suggested duplicates."),
    "merge_dismissed_list": _l("Marked as not the same: %(count)s"),
    "merge_restore": _l("Suggest again"),
    "merge_translation": _l("Translation"),
}

# participants' texts and their translations (static/js/translated.js)
JS_STRINGS |= {
    "machine_translation": _l("Machine translation"),
    "human_translation": _l("Human translation"),
    "translated_by": _l("Translated by %(name)s"),
    "show_original": _l("Show original"),
    "show_translation": _l("Show translation"),
    "correct_translation": _l("Correct translation"),
    "save_translation": _l("Save translation"),
    "translation_field_title": _l("Title, translated"),
    "translation_field_description": _l("Description, translated"),
    "translation_field_text": _l("Text, translated"),
    "your_text_translated": _l("Your text in the other languages"),
    "translation_off": _l("Machine translation is off: texts are shown in their own language."),
    "translation_unavailable": _l(
        "Machine translation is unavailable for now: texts are shown in their own language."
    ),
}


# the other groups' initiatives on a participant's page (static/js/other_boards.js)
JS_STRINGS |= {
    "others_empty": _l("No initiatives yet."),
}


def js_strings():
    """JS_STRINGS in the current locale, placeholders left for the script to fill."""
    return {key: str(text) for key, text in JS_STRINGS.items()}


def phase_choices():
    """(value, name) of every phase, in order, for the facilitator's phase menu."""
    return [(p.value, str(JS_STRINGS[f"phase_name_{p.value}"])) for p in Phase]
