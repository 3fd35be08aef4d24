"""The database schema, created and changed only by these recorded migrations."""

from __future__ import annotations

# Each migration runs in one exclusive transaction and is recorded in schema_migrations.
# Append new ones; never edit an applied one.
MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_setup_tables",
        """
        CREATE TABLE profiles (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            body TEXT NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE templates (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            use_case TEXT NOT NULL,
            status TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE stages (
            id TEXT PRIMARY KEY,
            template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE RESTRICT,
            profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE RESTRICT,
            name TEXT NOT NULL COLLATE NOCASE,
            position INTEGER NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (template_id, name)
        );
        CREATE INDEX stages_template ON stages(template_id, position);
        CREATE INDEX stages_profile ON stages(profile_id);
        CREATE TABLE participants (
            id TEXT PRIMARY KEY,
            template_id TEXT NOT NULL REFERENCES templates(id) ON DELETE RESTRICT,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL,
            external_id TEXT,
            body TEXT NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (template_id, email_key)
        );
        CREATE INDEX participants_template ON participants(template_id, name);
        CREATE INDEX participants_external ON participants(external_id);
        CREATE TABLE participant_tags (
            participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            tag TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (tag, participant_id)
        ) WITHOUT ROWID;
        CREATE INDEX participant_tags_participant ON participant_tags(participant_id);
        """,
    ),
    (
        "0002_sessions_and_transcripts",
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            stage_id TEXT NOT NULL REFERENCES stages(id) ON DELETE RESTRICT,
            status TEXT NOT NULL DEFAULT 'scheduled',
            mode TEXT NOT NULL,
            attempt INTEGER NOT NULL DEFAULT 1,
            scheduled_for TEXT,
            started_at TEXT,
            ended_at TEXT,
            plan TEXT,
            models TEXT,
            state TEXT,
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX sessions_participant ON sessions(participant_id, created_at);
        CREATE INDEX sessions_stage ON sessions(stage_id, status);
        CREATE INDEX sessions_status ON sessions(status, created_at);
        CREATE TABLE turns (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL NOT NULL,
            audio_path TEXT,
            audio_sha256 TEXT,
            question_id TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            UNIQUE (session_id, idx)
        );
        CREATE VIRTUAL TABLE turns_fts USING fts5(text, content='turns', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER turns_ai AFTER INSERT ON turns BEGIN
            INSERT INTO turns_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER turns_ad AFTER DELETE ON turns BEGIN
            INSERT INTO turns_fts(turns_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER turns_au AFTER UPDATE OF text ON turns BEGIN
            INSERT INTO turns_fts(turns_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO turns_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        """,
    ),
    # Its `settings` table is unused and kept only so existing databases stay valid: settings live in the data
    # folder's settings.json (core.settings_model), read through engines.settings.load_settings.
    (
        "0003_scores_results_audit_settings",
        """
        CREATE TABLE scores (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            dimension TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('ai', 'rules', 'human', 'override')),
            rater TEXT NOT NULL,
            score REAL NOT NULL,
            rationale TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '[]',
            confidence TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            reason TEXT,
            model_file TEXT,
            model_sha256 TEXT,
            prompt_version TEXT,
            rubric_version TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX scores_session ON scores(session_id, dimension, created_at);
        CREATE TABLE results (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            overall REAL,
            recommendation TEXT,
            passed INTEGER,
            decision TEXT NOT NULL DEFAULT 'pending',
            approved_by TEXT,
            approved_at TEXT,
            needs_review INTEGER NOT NULL DEFAULT 0,
            signals TEXT NOT NULL DEFAULT '[]',
            feedback TEXT NOT NULL DEFAULT '{}',
            flags TEXT NOT NULL DEFAULT '[]',
            details TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL
        );
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            operator TEXT NOT NULL,
            action TEXT NOT NULL,
            object_kind TEXT NOT NULL,
            object_id TEXT,
            details TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0004_sessions_by_date",
        """
        CREATE INDEX sessions_created ON sessions(created_at);
        """,
    ),
    # The Sessions and Participants lists page by keyset: each order needs an index ending in the id that breaks ties.
    (
        "0005_list_paging",
        """
        CREATE INDEX sessions_created_id ON sessions(created_at, id);
        DROP INDEX sessions_created;
        CREATE INDEX participants_name ON participants(name COLLATE NOCASE, id);
        """,
    ),
]
