"""Which schemas check the fields of each event of `/live` (docs/api.md section 6). The ids
an event names (`session_id`, `workshop_id`, `item_id`, `id`) are not fields: each is looked
up, and anything that names nothing answers not_found. tests/test_schemas_events.py holds
the namespace's handlers to this table: every event listed, each validating through exactly
these schemas."""

from .payloads import (
    AutoClose,
    ClientKey,
    CountdownAction,
    DisplaySettings,
    DotBudget,
    HiddenFlag,
    InitiativeCorrection,
    InitiativeDraft,
    InitiativePage,
    ItemDraft,
    MergePair,
    MergeRequest,
    ParticipantDraft,
    PhaseChange,
    ProjectorDisplay,
    SdgLimit,
    SdgPickRequest,
    SnapshotRequest,
    TranslationCorrection,
    VoteCast,
    WatchRequest,
)

EVENTS = {
    # both kinds of connection
    "session:snapshot": (SnapshotRequest,),
    "initiative:page": (InitiativePage,),
    # participants
    "initiative:post": (ClientKey, InitiativeDraft),
    "initiative:edit": (InitiativeDraft,),
    "initiative:withdraw": (),  # an id only
    "item:propose": (ClientKey, ItemDraft),
    "vote:cast": (VoteCast,),
    "sdg:pick": (SdgPickRequest,),
    "workshop:boards": (),  # nothing to name: the caller's workshop
    # facilitators
    "workshop:watch": (WatchRequest,),
    "session:set_phase": (PhaseChange,),
    "session:countdown": (CountdownAction,),
    "session:set_auto_close": (AutoClose,),
    "workshop:set_voting_rules": (DotBudget, SdgLimit),
    "workshop:set_display": (DisplaySettings,),
    "workshop:set_projector": (ProjectorDisplay,),
    "item:add": (ClientKey, ItemDraft),
    "item:correct": (ItemDraft,),
    "item:set_hidden": (HiddenFlag,),
    "item:merge": (MergeRequest,),
    "item:unmerge": (),  # an id only
    "initiative:set_hidden": (HiddenFlag,),
    "initiative:correct": (InitiativeCorrection,),
    # facilitators, for participants they entered (no device of their own): the
    # participant's own event's schemas, plus the `participant_id` looked up
    "participant:enter": (ParticipantDraft,),
    "proxy:list": (),  # a session id only
    "proxy:state": (),  # a participant id only
    "proxy:initiative_post": (ClientKey, InitiativeDraft),
    "proxy:initiative_withdraw": (),  # ids only
    "proxy:item_propose": (ClientKey, ItemDraft),
    "proxy:vote_cast": (VoteCast,),
    "proxy:sdg_pick": (SdgPickRequest,),
    "merge:suggestions": (),  # a workshop id only
    "merge:dismiss": (MergePair,),
    "merge:restore": (MergePair,),
    # facilitators, and authors where the workshop lets them
    "translation:correct": (TranslationCorrection,),
}
