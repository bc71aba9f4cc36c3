"""Turn a responsibility written about someone into the three wordings of an item (issue 21).

A responsibility of a levels document reads like "Deepens his own skill set …": a sentence
whose subject is left out, its verb in the third person, and "he/his/him" (or "she/her") for
the person. `word_responsibility` makes the self wording ("I deepen my own skill set …"), the
other wording ("{name} deepens their own skill set …") and the you wording ("You deepen your
own skill set …") by rule, sentence by sentence. A sentence the rules cannot read (it does not
start with a verb such as "Uses" or "Doesn't", or it already speaks as "I" or "you") raises
`WordingError` with the reason, so the draft can say so instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from survey.errors import SurveyError

NAME = "{name}"
SELF, OTHER, YOU = 0, 1, 2  # index into every (self, other, you) triple below

# third person → (self, other, you); "other" is about {name}, singular
_IRREGULAR = {
    "is": ("am", "is", "are"),
    "isn't": ("am not", "isn't", "aren't"),
    "has": ("have", "has", "have"),
    "hasn't": ("haven't", "hasn't", "haven't"),
    "does": ("do", "does", "do"),
    "doesn't": ("don't", "doesn't", "don't"),
    "was": ("was", "was", "were"),
    "wasn't": ("wasn't", "wasn't", "weren't"),
}
_MODALS = frozenset(
    "can can't cannot could couldn't may might must should shouldn't will won't would "
    "wouldn't".split()
)
_ADVERBS = frozenset(
    "often always usually also never sometimes regularly actively consistently "
    "proactively rarely seldom generally typically openly clearly".split()
)
_PRONOUNS = {
    "he": ("I", "they", "you"),
    "she": ("I", "they", "you"),
    "his": ("my", "their", "your"),
    "him": ("me", "them", "you"),
    "himself": ("myself", "themselves", "yourself"),
    "hers": ("mine", "theirs", "yours"),
    "herself": ("myself", "themselves", "yourself"),
}
_HER = (("my", "their", "your"), ("me", "them", "you"))  # possessive, object
_CONJUNCTIONS = frozenset({"and", "but", "or", "nor"})
# words that start an object: after "nouns and <-s word>" they make that word a verb
_OBJECT_STARTS = frozenset(
    "a an the their its our this these those every each all what how why when where whether"
    .split()
)
_NOT_A_VERB_ENDING = ("ss", "us", "is", "ous")
_NOT_VERBS = frozenset(
    "its this thus towards across always perhaps sometimes besides afterwards whereas news "
    "series means plus yes".split()
)
# -es verbs whose stem itself ends in s ("focuses" → "focus", not "focuse")
_STEM_ENDS_IN_S = frozenset({"focuses", "biases", "canvases"})
_SPEAKS_FOR_ITSELF = re.compile(
    r"\bI\b|\b(?i:me|my|mine|myself|you|your|yours|yourself)\b"
)
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[^A-Za-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


class WordingError(SurveyError):
    """The rules cannot turn this responsibility into wordings; the message says why."""


@dataclass(frozen=True)
class Wordings:
    """An item's three wordings: self (first person), other (with {name}), you (second)."""

    self_text: str
    other_text: str
    you_text: str


def normalise(text: str) -> str:
    """One line, single spaces, straight apostrophes, ending with a full stop (or ? or !)."""
    text = " ".join(text.replace("’", "'").replace("‘", "'").split())
    return text if not text or text[-1] in ".!?" else text + "."


def word_responsibility(text: str) -> Wordings:
    """Return the self, other and you wordings of one responsibility, each sentence by rule.

    Raises WordingError naming the sentence and what the rules could not read in it.
    """
    text = normalise(text)
    if not text:
        raise WordingError("the responsibility is empty")
    triples = [_word_sentence(sentence) for sentence in _SENTENCE_END.split(text)]
    return Wordings(*(" ".join(t[person] for t in triples) for person in (SELF, OTHER, YOU)))


def second_person(self_text: str) -> str:
    """A first-person wording in the second person: "What do I do well?" → "What do you …?"."""
    swaps = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
             "am": "are", "i'm": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd"}
    words: list[str] = []
    for index, token in enumerate(_TOKEN.findall(self_text)):
        swap = swaps.get(token.lower())
        if swap is None or (token.lower() == "am" and not _after_i(words)):
            words.append(token)
        else:
            words.append(swap.capitalize() if index == 0 else swap)
    return "".join(words)


def _after_i(words: list[str]) -> bool:
    previous = [w for w in words if w.strip()]
    return bool(previous) and previous[-1].lower() == "you"


def _word_sentence(sentence: str) -> tuple[str, str, str]:
    """One sentence's (self, other, you) wordings; raises WordingError."""
    if _SPEAKS_FOR_ITSELF.search(sentence):
        raise WordingError(
            f"“{sentence}” already speaks as I or you: the rules only turn sentences "
            "written about someone (“Uses …”, “Doesn't …”)"
        )
    tokens = _TOKEN.findall(sentence)
    words = [i for i, token in enumerate(tokens) if token[0].isalpha()]
    start = 1 if words and tokens[words[0]].lower() in ("he", "she") else 0  # "He uses …"
    leading: list[str] = []
    for index in words[start:]:
        if tokens[index].lower() not in _ADVERBS:
            break
        leading.append(tokens[index].lower())
    position = start + len(leading)
    verb_at = words[position] if position < len(words) else None
    lead = _verb_forms(tokens[verb_at].lower()) if verb_at is not None else None
    if verb_at is None or lead is None:
        raise WordingError(
            f"“{sentence}” does not start with a verb such as “Uses”, “Is” or “Doesn't”"
        )
    rest = _Rest(tokens, verb_at, lead).words()
    head = " ".join([*leading, ""])  # "often " before the verb, as in "I often represent"
    return (
        f"I {head}{lead[SELF]}{rest[SELF]}",
        f"{NAME} {head}{lead[OTHER]}{rest[OTHER]}",
        f"You {head}{lead[YOU]}{rest[YOU]}",
    )


def _verb_forms(word: str) -> tuple[str, str, str] | None:
    """(self, other, you) of a third-person verb as the subject's own, or None if not a verb."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _MODALS:
        return (word, word, word)
    base = _base_form(word)
    return None if base is None else (base, word, base)


def _base_form(word: str) -> str | None:
    """"uses" → "use", "applies" → "apply", "reaches" → "reach"; None if not an -s verb."""
    if len(word) < 3 or not word.endswith("s") or word.endswith(_NOT_A_VERB_ENDING):
        return None
    if word in _NOT_VERBS:
        return None
    if word in _STEM_ENDS_IN_S:
        return word[:-2]
    if word.endswith("ies") and len(word) > 4 and word[-4] not in "aeiou":
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return word[:-2]
    return word[:-1]


class _Rest:
    """The words after the lead verb, in three persons: pronouns and the verbs that go with
    the person (after "he", or joined to a verb of theirs by "and"/"but")."""

    def __init__(self, tokens: list[str], verb_at: int, lead: tuple[str, str, str]) -> None:
        self.tokens = tokens
        self.start = verb_at + 1
        self.out: tuple[list[str], list[str], list[str]] = ([], [], [])
        self.verbs: dict[int, str] = {verb_at: "lead"}  # token index → whose verb it is

    def words(self) -> tuple[str, str, str]:
        for index in range(self.start, len(self.tokens)):
            self._emit(*self._turn(index))
        return ("".join(self.out[SELF]), "".join(self.out[OTHER]), "".join(self.out[YOU]))

    def _emit(self, self_word: str, other_word: str, you_word: str) -> None:
        for person, word in enumerate((self_word, other_word, you_word)):
            self.out[person].append(word)

    def _turn(self, index: int) -> tuple[str, str, str]:
        token = self.tokens[index]
        lower = token.lower()
        if lower in _PRONOUNS:
            return _PRONOUNS[lower]
        if lower == "her":
            return _HER[0] if self._next_word_is_noun(index) else _HER[1]
        role = self._verb_role(index)
        if role is None:
            return (token, token, token)
        self.verbs[index] = role
        forms = _verb_forms(lower)
        assert forms is not None
        if role == "pronoun":  # after "he": "they" takes the verb "you" takes ("are", "do")
            return (forms[SELF], forms[YOU], forms[YOU])
        return forms

    def _verb_role(self, index: int) -> str | None:
        """"pronoun" for a verb after he/she, "lead" or "pronoun" for a verb joined to one of
        theirs by a conjunction, None for any other word."""
        lower = self.tokens[index].lower()
        if _verb_forms(lower) is None:
            return None
        before = self._previous_word(index)
        while before is not None and self.tokens[before].lower() in _ADVERBS:
            before = self._previous_word(before)  # "he often leads"
        if before is not None and self.tokens[before].lower() in ("he", "she"):
            return "pronoun"
        if before is None or self.tokens[before].lower() not in _CONJUNCTIONS:
            return None
        if lower in _MODALS:
            return None
        return self._joined_role(before, index)

    def _joined_role(self, conjunction: int, index: int) -> str | None:
        """Whose verb the word after "and"/"but" is, if it is one (see the module rules)."""
        joined = self._previous_word(conjunction)
        comma = "," in "".join(self.tokens[(joined or 0) + 1 : conjunction])
        if joined is not None and joined in self.verbs and not comma:
            return self.verbs[joined]  # "communicates and lives", "he leads and manages"
        gap = self.tokens[index + 1] if index + 1 < len(self.tokens) else "."
        if gap.strip():
            return None  # a plural noun closing a phrase: "culture and values."
        following = self.tokens[index + 2].lower()
        if following == "of":
            return None  # "the culture and values of …"
        if following in _OBJECT_STARTS or following in _PRONOUNS or following == "her":
            return "lead"  # "standards and reaches his targets": a noun takes no object
        if joined is not None and not comma and _base_form(self.tokens[joined].lower()):
            return None  # plural noun and plural noun: "leaders and managers to …"
        return "lead"  # ", and gives …", "work and avoids …": joined to the lead verb

    def _previous_word(self, index: int) -> int | None:
        for before in range(index - 1, self.start - 2, -1):
            if before >= 0 and self.tokens[before][0].isalpha():
                return before
        return None

    def _next_word_is_noun(self, index: int) -> bool:
        """"her team" (possessive) against "than her." or "her to" (object)."""
        following = self.tokens[index + 1 : index + 3]
        if len(following) < 2 or following[0] != " ":
            return False
        return following[1].lower() not in _CONJUNCTIONS | {"to", "for", "with", "in", "on",
                                                             "at", "than", "as", "about"}


def counted(number: int, noun: str) -> str:
    """"1 campaign" / "3 campaigns": the number with a regular English noun (CLI and audit
    text, which stay English; pages use ngettext)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
