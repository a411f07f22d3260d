"""Which schemas check the fields of each event of `/live` (docs/api.md section 6). The ids
an event names (`session_id`, `workshop_id`, `item_id`, `id`) are not fields: each is looked
up, and anything that names nothing answers not_found. tests/test_schemas_events.py holds
the namespace's handlers to this table: every event listed, each validating through exactly
these schemas."""

from .payloads import (
    ClientKey,
    DisplaySettings,
    DotBudget,
    HiddenFlag,
    InitiativeDraft,
    InitiativePage,
    ItemDraft,
    MergeRequest,
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
    # facilitators
    "workshop:watch": (WatchRequest,),
    "session:set_phase": (PhaseChange,),
    "workshop:set_voting_rules": (DotBudget, SdgLimit),
    "workshop:set_display": (DisplaySettings,),
    "workshop:set_projector": (ProjectorDisplay,),
    "item:add": (ClientKey, ItemDraft),
    "item:correct": (ItemDraft,),
    "item:set_hidden": (HiddenFlag,),
    "item:merge": (MergeRequest,),
    "item:unmerge": (),  # an id only
    # facilitators, and authors where the workshop lets them
    "translation:correct": (TranslationCorrection,),
}
