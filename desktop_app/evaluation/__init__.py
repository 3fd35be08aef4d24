"""Scoring sessions: the anchored judge (judge), its notes (rationale), store operations (service), practice feedback wording."""
