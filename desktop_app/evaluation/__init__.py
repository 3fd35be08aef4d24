"""Scoring sessions: the language-model scorer (ai_scorer), store operations (service), practice feedback wording."""
