"""The interview room: pre-flight, the candidate view, the operator view, the runner bridge."""
