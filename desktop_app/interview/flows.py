"""The five session modes as dialogue flows over a Conversation: the plan decides, the model only words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from desktop_app.core import wording
from desktop_app.core.feedback import answer_feedback
from desktop_app.core.models import AgentProfile, SessionMode
from desktop_app.core.plan import FOLLOW_UP_S, InterviewPlan, PlannedQuestion, planned_seconds
from desktop_app.core.probes import answer_strength, bank_follow_up, check_character_line, check_follow_up
from desktop_app.core.transcript import Speaker, TurnKind
from desktop_app.engines.base import GenerationRequest
from desktop_app.interview import events as ev
from desktop_app.interview.answers import Answer, Control, EndInterview
from desktop_app.interview.conversation import Conversation
from desktop_app.interview.events import ListenInput
from desktop_app.interview.messages import Typed
from desktop_app.interview.progress import Progress, follow_up_id
from desktop_app.interview.prompts import PROMPT_VERSION, character_request, follow_up_request

STRONG, WEAK = 0.65, 0.35
# Modes with their own instructions and closing line, by the key the plan stores them under.
_MODE_KEYS: dict[str, str] = {SessionMode.PRACTICE_SESSION: "practice", SessionMode.ASYNC_INTERVIEW: "async",
                              SessionMode.ROLEPLAY_SIMULATION: "roleplay"}


class Flow:
    """Runs one session mode from `progress` to the end; returns how it ended (completed | time_up | ended_early)."""

    def __init__(self, conv: Conversation, profile: AgentProfile, progress: Progress) -> None:
        self.conv = conv
        self.plan: InterviewPlan = conv.plan
        self.profile = profile
        self.progress = progress
        self.shift = progress.level_shift
        self.history: list[tuple[str, str]] = list(progress.history)
        self._acks = 0
        self._llm_calls = 0
        self.last_llm: dict = {}  # timings of the last model call (recorded with the line it produced)

    # ------------------------------------------------------------ entry

    def run(self) -> str:
        """Opens, runs the mode, closes; EndInterview (time up, ended early) still closes politely."""
        plan = self.plan
        reason = "completed"
        try:
            if not self.progress.closed:
                self.open()
                if plan.mode == SessionMode.MANUAL_REVIEW:
                    self.manual()
                elif plan.mode == SessionMode.ROLEPLAY_SIMULATION:
                    self.roleplay()
                else:
                    self.interview()
        except EndInterview as end:
            reason = end.reason
        if not self.progress.closed and plan.mode != SessionMode.MANUAL_REVIEW:
            try:
                self.close(reason)
            except EndInterview:  # "end" pressed during the closing words: it is ending anyway
                pass
        return reason

    def open(self) -> None:
        """The introduction, or a short line when resuming."""
        conv, plan = self.conv, self.plan
        if self.progress.started:
            conv.say(conv.bank.resume_line, kind=TurnKind.RESUME)
            return
        if plan.mode == SessionMode.MANUAL_REVIEW:
            return
        io = "voice" if conv.voice_input else "text"
        extra = _MODE_KEYS.get(plan.mode)
        parts = [plan.introduction, plan.instructions[io]]
        if extra:
            parts.append(plan.instructions[extra])
        if io == "text" and plan.mode in (SessionMode.PRACTICE_SESSION, SessionMode.ASYNC_INTERVIEW):
            parts.append(wording.TEXT_RETRY_INSTRUCTION)
        conv.say(" ".join(parts), kind=TurnKind.INTRO)

    def close(self, reason: str) -> None:
        """The closing line for how the interview ended."""
        key = reason if reason != "completed" else _MODE_KEYS.get(self.plan.mode, "completed")
        self.conv.say(self.plan.closing(key), kind=TurnKind.CLOSING, meta={"reason": reason})

    # ------------------------------------------------------------ asking

    def ask(self, qid: str, text: str, turn_kind: TurnKind, index: int, attempt: int = 1,
            draft_for: Callable[[str], GenerationRequest] | None = None, meta: dict | None = None,
            lead: str = "") -> Answer | Literal[Control.RETRY]:
        """Says a question and takes its answer; a request to repeat says it again.

        Control.RETRY comes back only where a retry is offered (practice and async sessions).
        """
        conv = self.conv
        while True:
            conv.emit(ev.QuestionStarted, question_id=qid, text=text, turn_kind=turn_kind, index=index,
                      total=len(self.plan.questions), attempt=attempt)
            armed = conv.arm(qid, text) if conv.voice_input and conv.options.barge_in else None
            spoken = f"{lead} {text}" if lead else text
            conv.say(spoken, kind=turn_kind, question_id=qid, interruptible=armed,
                     meta={"question": text, "level_shift": self.shift, "attempt": attempt, **(meta or {})})
            lead = ""  # a repeat says the question only
            conv.asked.append(text)
            ack = self.acknowledge if self.plan.mode in (SessionMode.LIVE_AI_INTERVIEW,
                                                         SessionMode.PRACTICE_SESSION) else None
            result = conv.take_answer(qid, text, draft_for=draft_for, armed=armed, on_end=ack)
            retry_allowed = self.plan.mode in (SessionMode.PRACTICE_SESSION, SessionMode.ASYNC_INTERVIEW)
            if isinstance(result, Control):
                if result == Control.RETRY and retry_allowed:
                    return Control.RETRY
                continue  # repeat, submit, or a retry where none is offered: say the question again
            return result

    def acknowledge(self) -> None:
        """Starts a short acknowledgement at once (pre-synthesized), while the next line is worked out."""
        if self.conv.lead is not None:
            return  # already acknowledging this answer (started when the spoken answer ended)
        acks = self.plan.acknowledgements
        self.conv.acknowledge(acks[self._acks % len(acks)])
        self._acks += 1

    def _seed(self) -> int:
        self._llm_calls += 1
        base = self.conv.options.seed if self.conv.options.seed is not None else self.plan.seed
        return (base + self._llm_calls) % (2**31)

    @property
    def _chat(self) -> bool:
        llm = self.conv.llm
        return bool(llm is not None and getattr(llm.model, "has_chat_template", False))

    def _model_text(self, answer: Answer, request: Callable[[str], GenerationRequest], what: str) -> str | None:
        """The model's proposal: the draft made during the silence if it fits, else a new generation."""
        conv = self.conv
        self.last_llm = {}
        if conv.llm is None or not conv.options.use_llm:
            return None
        draft = answer.draft  # made during the end-of-turn silence; VoiceTurn dropped it if it no longer fits
        if draft is None:
            conv.emit(ev.Thinking, question_id=answer.question_id, what=what)
            draft = conv.llm.submit(request(answer.text), key=answer.text)
        text = conv.wait_for(draft, conv.options.llm_timeout_s)
        if text is None:
            draft.cancel()
        self.last_llm = {"early": draft is answer.draft, "submitted_at": draft.submitted_at,
                         "first_piece_at": draft.first_piece_at, "finished_at": draft.finished_at}
        return text

    # ------------------------------------------------------------ interview, practice, async

    def _should_probe(self, q: PlannedQuestion, index: int, done: int, last: Answer) -> bool:
        low, high = self.plan.follow_up_range
        if done >= min(high, q.max_follow_ups) or not last.text.strip():
            return False
        if self.conv.remaining_s() - planned_seconds(self.plan, index + 1) < FOLLOW_UP_S:
            return False  # keep the time for the questions that cover the template
        if done < low:
            return True
        # Structured interviews ask the same number of follow-ups of everyone; the others probe thin answers.
        return self.plan.style != "structured" and answer_strength(last.text) < 0.6

    def _follow_up(self, q: PlannedQuestion, asked: str, answers: list[Answer]) -> tuple[str, dict]:
        answer = answers[-1]
        target = q.targets[0] if q.targets and q.kind == "skill" else ""
        previous = [*self.conv.asked, *(p.text for p in self.plan.questions)]
        raw = self._model_text(answer, lambda a: self._follow_up_request(asked, a), "follow_up")
        if raw is not None:
            # On topic means about this question: its wording, any answer given to it so far, or its target.
            context = " ".join([q.text, *(a.text for a in answers[:-1]), *q.targets])
            check = check_follow_up(raw, question=f"{asked} {context}", answer=answer.text, target=target,
                                    previous=previous)
            if check.ok:
                return check.text, {"source": "model", "prompt_version": PROMPT_VERSION, "llm": self.last_llm}
            meta = {"source": "bank", "rejected": check.reason, "proposal": raw.strip()[:200], "llm": self.last_llm}
        else:
            meta = {"source": "bank", "llm": self.last_llm} if self.last_llm else {"source": "bank"}
        return bank_follow_up(self.conv.bank, answer.text, target=target, previous=previous,
                              offset=self.plan.seed + len(self.conv.asked)), meta

    def _follow_up_request(self, asked: str, answer_text: str) -> GenerationRequest:
        return follow_up_request(self.plan, question=asked, answer=answer_text, chat=self._chat, seed=self._seed(),
                                 max_tokens=self.conv.options.max_tokens)

    def interview(self) -> None:
        """Live, practice and async: core questions in plan order, follow-ups as probing allows."""
        conv, plan = self.conv, self.plan
        probing = plan.mode in (SessionMode.LIVE_AI_INTERVIEW, SessionMode.PRACTICE_SESSION)
        pending = self.progress.pending_question
        if pending is not None and probing:
            asked = str(pending.meta.get("question") or pending.text)
            self.ask(pending.question_id or "", asked, TurnKind.FOLLOW_UP, self.progress.next_index)
        i = self.progress.next_index
        attempts: dict[str, int] = {}
        while i < len(plan.questions):
            if not conv.check_time():
                raise EndInterview("time_up")
            q = plan.questions[i]
            attempts[q.id] = attempts.get(q.id, 0) + 1
            text = q.text_at(self.shift) if plan.adaptive else q.text
            can_probe = probing and min(plan.follow_up_range[1], q.max_follow_ups) > 0 and conv.options.use_llm
            draft = (lambda a, t=text: self._follow_up_request(t, a)) if can_probe else None
            result = self.ask(q.id, text, TurnKind.QUESTION, i + 1, attempts[q.id], draft_for=draft,
                              lead=q.lead if attempts[q.id] == 1 else "")
            if result == Control.RETRY:
                i = self._retry(i)
                continue
            answers, done, asked, retry = [result], 0, text, False
            while probing and self._should_probe(q, i, done, answers[-1]):
                self.acknowledge()
                follow, meta = self._follow_up(q, asked, answers)
                done += 1
                asked = follow
                fu = self.ask(follow_up_id(q.id, done), follow, TurnKind.FOLLOW_UP, i + 1, draft_for=None, meta=meta)
                if fu == Control.RETRY:
                    retry = True
                    break
                answers.append(fu)
            if retry:  # practice: answer this question again from the start
                conv.acknowledge(conv.bank.retry_line)
                continue
            if plan.mode != SessionMode.ASYNC_INTERVIEW:
                self.acknowledge()
            if plan.mode == SessionMode.PRACTICE_SESSION:
                self._feedback(q, text, answers)
            if plan.adaptive:
                self._adapt(answers)
            conv.save_state(next_index=i + 1, level_shift=self.shift)
            if conv.options.confirm_answers and plan.mode in (SessionMode.PRACTICE_SESSION, SessionMode.ASYNC_INTERVIEW):
                if self._confirm(q.id) == Control.RETRY:
                    continue
            i += 1

    def _retry(self, i: int) -> int:
        """Practice and async: go back to the previous question (or say the current one again)."""
        if self.plan.mode not in (SessionMode.PRACTICE_SESSION, SessionMode.ASYNC_INTERVIEW):
            return i
        self.conv.acknowledge(self.conv.bank.retry_line)
        return max(i - 1, 0)

    def _confirm(self, qid: str) -> Control:
        """Waits for submit() or retry() (the GUI's buttons after an answer)."""
        conv = self.conv
        conv.emit(ev.Listening, question_id=qid, input=ListenInput.CONFIRM)
        while True:
            match conv.pump(0.1):
                case Control.SUBMIT:
                    return Control.SUBMIT
                case Control.RETRY:
                    conv.acknowledge(conv.bank.retry_line)
                    return Control.RETRY
                case Typed(word=word):
                    return Control.RETRY if word == "/retry" else Control.SUBMIT

    def _feedback(self, q: PlannedQuestion, asked: str, answers: list[Answer]) -> None:
        text = " ".join(a.text for a in answers if a.text)
        latency = answers[0].meta.get("latency_s") if answers else None
        self.conv.emit(ev.Thinking, question_id=q.id, what="feedback")
        tip = answer_feedback(asked, text, self.profile, skills=self.plan.skills, latency_s=latency)
        self.conv.say(tip, kind=TurnKind.FEEDBACK, question_id=q.id, meta={"source": "rules"})

    def _adapt(self, answers: list[Answer]) -> None:
        strength = answer_strength(" ".join(a.text for a in answers))
        if strength >= STRONG:
            self.shift = min(self.shift + 1, 1)
        elif strength <= WEAK:
            self.shift = max(self.shift - 1, -1)

    # ------------------------------------------------------------ roleplay

    def _character_line(self, answer: Answer | None, fallback: str) -> tuple[str, dict]:
        previous = [t for s, t in self.history if s == "character"]
        if answer is not None and answer.text:
            raw = self._model_text(answer, self._character_request, "character_line")
            if raw is not None:
                check = check_character_line(raw, previous=previous, candidate_reply=answer.text)
                if check.ok:
                    return check.text, {"source": "model", "prompt_version": PROMPT_VERSION, "llm": self.last_llm}
                return self._scripted(fallback, previous), {"source": "script", "rejected": check.reason,
                                                            "proposal": raw.strip()[:200]}
        return self._scripted(fallback, previous), {"source": "script"}

    def _character_request(self, reply: str) -> GenerationRequest:
        return character_request(self.plan, [*self.history[:-1], ("trainee", reply)]
                                 if self.history and self.history[-1][0] == "trainee" else
                                 [*self.history, ("trainee", reply)], chat=self._chat, seed=self._seed(),
                                 max_tokens=self.conv.options.max_tokens + 8)

    def _scripted(self, preferred: str, previous: list[str]) -> str:
        """The preferred scripted line unless already said, else the first unused one."""
        lines = [preferred, *(self.plan.roleplay.lines if self.plan.roleplay else ())]
        for line in lines:
            if line not in previous:
                return line
        return lines[len(previous) % len(lines)]

    def roleplay(self) -> None:
        """The AI plays the scenario's character beat by beat; the trainee's replies are the answers."""
        conv, plan = self.conv, self.plan
        roleplay = plan.roleplay
        assert roleplay is not None  # a roleplay plan always has its character
        last: Answer | None = None
        can_draft = conv.options.use_llm and conv.llm is not None
        draft = (lambda reply: self._character_request(reply)) if can_draft else None
        for i in range(self.progress.next_index, len(plan.questions)):
            if not conv.check_time():
                raise EndInterview("time_up")
            q = plan.questions[i]
            line, meta = (q.text, {"source": "plan"}) if i == 0 or last is None else self._character_line(last, q.text)
            self.history.append(("character", line))  # the draft made while the trainee replies must see it
            result = self.ask(q.id, line, TurnKind.ROLEPLAY, i + 1, draft_for=draft, meta=meta)
            assert isinstance(result, Answer)  # retry is not offered in a roleplay: ask() repeats instead
            self.history.append(("trainee", result.text))
            last, done = result, 0
            while self._should_probe(q, i, done, last):
                done += 1
                line, meta = self._character_line(last, roleplay.lines[(i + done) % len(roleplay.lines)])
                self.history.append(("character", line))
                reply = self.ask(follow_up_id(q.id, done), line, TurnKind.ROLEPLAY, i + 1, draft_for=draft, meta=meta)
                assert isinstance(reply, Answer)
                self.history.append(("trainee", reply.text))
                last = reply
            conv.save_state(next_index=i + 1)
        conv.say(roleplay.farewell, kind=TurnKind.ROLEPLAY, meta={"source": "script", "farewell": True})

    # ------------------------------------------------------------ manual review

    def manual(self) -> None:
        """No AI: the operator follows the plan and types a note per question (stored as operator turns)."""
        conv, plan = self.conv, self.plan
        for i in range(self.progress.next_index, len(plan.questions)):
            q = plan.questions[i]
            conv.emit(ev.QuestionStarted, question_id=q.id, text=q.text, turn_kind=TurnKind.NOTE, index=i + 1,
                      total=len(plan.questions))
            started = conv.clock.now()
            note = conv.take_note(q.id)
            turn = conv.commit(Speaker.OPERATOR, TurnKind.NOTE, note or "", started, conv.clock.now(), q.id, None,
                               {"question": q.text, "skipped": note is None, "input": "typed"})
            conv.emit(ev.AnswerFinal, question_id=q.id, text=note or "", turn_index=turn.index, speaker="operator")
            conv.save_state(next_index=i + 1)
