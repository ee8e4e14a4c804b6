"""Rescue teams (应急救援队伍), experts (专家库), the contact network's reachability and roll calls
(点名), and the teams and experts recorded on incidents, consultations and plan reviews."""

from resources.models.experts import Expert
from resources.models.participants import Participant
from resources.models.rollcalls import RequiredRole, RollCall, RollCallEntry
from resources.models.teams import Speciality, StrengthRule, Team, TeamEquipment, TeamKind, TeamMember

__all__ = [
    "Expert",
    "Participant",
    "RequiredRole",
    "RollCall",
    "RollCallEntry",
    "Speciality",
    "StrengthRule",
    "Team",
    "TeamEquipment",
    "TeamKind",
    "TeamMember",
]
