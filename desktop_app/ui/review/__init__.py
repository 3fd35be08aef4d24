"""Review of a finished session: transcript, scores, signals, overrides, approval, scorecard, export."""
