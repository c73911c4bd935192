"""The words event pages use for days, dates, wrappers and breaks, in the languages the corpus of
real events holds (English, German, French, Spanish, Italian). Pure.

``day_title`` tells a heading that names a day (``Day 2``, ``Saturday``, ``Friday 3 November``,
``December 19, Friday``, ``Thursday 16th``, ``Freitag, 31. August``, ``Samedi 2 décembre``) from a
session's; ``wrapper`` a heading that holds the sessions (``Programme``, ``Schedule``, ``Ordre du
jour``) from one that is a session; ``is_break`` a row or item that is a break, a meal or logistics.
"""

from __future__ import annotations

import re
import unicodedata

WEEKDAYS = {
    # English, German, French, Spanish, Italian; each maps to 0 (Monday) .. 6
    **{w: k for k, w in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())},
    **{w: k for k, w in enumerate("mon tue wed thu fri sat sun".split())},
    **{w: k for k, w in enumerate("montag dienstag mittwoch donnerstag freitag samstag sonntag".split())},
    "sonnabend": 5,
    **{w: k for k, w in enumerate("lundi mardi mercredi jeudi vendredi samedi dimanche".split())},
    **{w: k for k, w in enumerate("lunes martes miercoles jueves viernes sabado domingo".split())},
    **{w: k for k, w in enumerate("lunedi martedi mercoledi giovedi venerdi sabato domenica".split())},
}
MONTHS = {
    **{m: k for k, m in enumerate("january february march april may june july august september october "
                                  "november december".split(), 1)},
    **{m: k for k, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
    **{m: k for k, m in enumerate("januar februar marz april mai juni juli august september oktober "
                                  "november dezember".split(), 1)},
    "jänner": 1, "janner": 1,
    **{m: k for k, m in enumerate("janvier fevrier mars avril mai juin juillet aout septembre octobre "
                                  "novembre decembre".split(), 1)},
    **{m: k for k, m in enumerate("enero febrero marzo abril mayo junio julio agosto septiembre octubre "
                                  "noviembre diciembre".split(), 1)},
    **{m: k for k, m in enumerate("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
                                  "novembre dicembre".split(), 1)},
}
#: words for "day" with a number after them (``Day 2``, ``Tag 2``, ``Jour 2``, ``Día 2``, ``Giorno 2``)
_DAY_WORD = r"(?:day|tag|jour|d[ií]a|giorno)"
_DAY_N = re.compile(rf"^{_DAY_WORD}\s*(\d{{1,2}})\b(?!\s*[.:]\d)", re.I)
#: headings that hold the sessions, not sessions themselves
WRAPPERS = frozenset({
    "programme", "program", "programm", "programa", "programma", "schedule", "timetable", "agenda",
    "sessions", "detailed descriptions", "session descriptions", "descriptions", "detailed programme",
    "detailed program", "full programme", "conference programme", "conference program", "event schedule",
    "ordre du jour", "tagesordnung", "orden del dia", "ordine del giorno", "zeitplan", "ablauf",
    "provisional agenda", "draft agenda", "agenda and notes", "programme overview", "overview of the programme",
})
#: words that make a row or an item a break, a meal or logistics (compared on whole words)
BREAK_WORDS = frozenset({
    "break", "coffee", "tea", "lunch", "dinner", "breakfast", "registration", "walk-in", "walk in", "arrival",
    "photo", "group photo", "social", "social event", "party", "reception", "socializing", "socialising",
    "ice breaking", "check-in", "check in", "departure", "travel", "doors open",
    "pause", "kaffeepause", "mittagessen", "mittagspause", "abendessen", "anmeldung", "registrierung",
    "déjeuner", "dejeuner", "accueil", "dîner", "diner", "soirée", "soiree", "petit-déjeuner",
    "almuerzo", "comida", "cena", "receso", "descanso", "registro", "pausa", "pranzo", "caffè", "cena sociale",
    "cake", "snacks", "drinks", "room closed", "closed", "chill space", "free time", "tbd", "tba",
})
#: what ends a programme ("Close of meeting.", "Walk-out", "Fin de la journée"): a break, and the close
_CLOSE_WORDS = (r"close of (?:the )?(?:meeting|day|conference|event)|end of (?:the )?(?:meeting|day|conference|event)"
                r"|closing of the venue|walk-out|fin de (?:la )?(?:journee|reunion|seance)"
                r"|(?:ende|schluss) der (?:mitglieder)?(?:veranstaltung|sitzung|versammlung)")
_CLOSE = re.compile(rf"^(?:{_CLOSE_WORDS})\b")
_BREAK_TITLE = re.compile(
    r"^(?:(?:morning|afternoon|small|short|long|evening|coffee|tea|lunch)\s+)*"
    r"(?:break|lunch|dinner|breakfast|coffee(?:\s+break)?|tea|registration|walk[- ]in|arrival|group photo|photo"
    r"|social(?:\s+event)?|socializing|socialising|reception|pause|kaffeepause|mittagessen|mittagspause"
    r"|abendessen|anmeldung|déjeuner|dejeuner|accueil|dîner|soirée|almuerzo|comida|cena|receso|descanso"
    r"|pausa(?:\s+caff[eè])?|pranzo|fika|fruhstuck|frühstück|abendunterhaltung|organisatorisches"
    r"|socializing|ice breaking|meet in (?:the )?lobby|doors open|check-in"
    rf"|gathering for|{_CLOSE_WORDS}|retiring to|curry|pizza|soiree|diner|buffer"
    r"|(?:guided )?city walk|get-together|meet (?:at|in)|evening event|evening program(?:me)?)\b",
    re.I,
)


#: the combining marks of the Basic Multilingual Plane, as one character class (built once from
#: Python's Unicode database: the class strips them in one pass where a test per character took
#: most of fold's time; a class of marks beyond the plane is slower than that test)
_COMBINING = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000)
                                      if unicodedata.combining(chr(c))) + "]")


def fold(text: str) -> str:
    """Lower case without accents: ``Déjeuner`` -> ``dejeuner``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if max(decomposed) > "\uffff":  # (beyond the plane the class covers: a test per character)
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    return _COMBINING.sub("", decomposed)


_WORD = re.compile(r"[^\W\d_]+|\d+")


def _words(text: str, folded: bool = False) -> list[str]:
    return _WORD.findall(text if folded else fold(text))


#: the numbering of a marker ("02 . Title", "3 | Title"), which no date is written with ("2. November" is one)
_NUMBERED_ITEM = re.compile(r"^\d{1,2}(?:\s+[.|]|\s*\|)\s")


def day_title(title: str) -> tuple[int | None, bool] | None:
    """(number, True) for a heading naming a numbered day (``Day 2 (Friday)``), (None, True) for
    one naming a day by weekday or date (``Saturday 4 November``, ``December 19, Friday``), else
    None (a session, a wrapper...)."""
    text = title.strip().strip("'\"*:").strip()
    if len(text) > 80 or text.count(" ") > 8:
        return None  # (most session headings: too long to be a day's name, decided without folding)
    if _NUMBERED_ITEM.match(text):
        return None  # "02 . Nov", "3 | May": a numbered part or session, not the 2nd of November
    folded = fold(text)
    m = _DAY_N.match(folded)
    if m:
        return int(m.group(1)), True
    words = _words(folded, folded=True)
    if not words or len(words) > 6:
        return None
    weekday = [w for w in words if w in WEEKDAYS]
    month = [w for w in words if w in MONTHS]
    numbers = [w for w in words if w.isdigit()]
    others = [w for w in words if w not in WEEKDAYS and w not in MONTHS and not w.isdigit()
              and w not in ("st", "nd", "rd", "th", "er", "de", "the", "of", "du", "le", "del")]
    if weekday and words[0] in WEEKDAYS and len(others) <= 1:
        return None, True  # Saturday, Saturday 4 November, Friday @ NARA, Thursday 16th
    if (weekday or (month and numbers)) and not others:
        return None, True  # December 19, Friday; 2 December 2017
    return None


def heading_date(title: str, year: int | None) -> tuple[str | None, str | None]:
    """(ISO date, date as written) a day heading gives: ``Saturday 4 November`` in `year`,
    ``Freitag, 31. August 2012``, ``December 19, Friday``; (None, None) without day and month."""
    text = re.sub(rf"^{_DAY_WORD}\s*\d{{1,2}}\s*[:,(–-]*\s*", "", title.strip(), flags=re.I).strip(" ()")
    words = _words(text)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    days = [int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31]
    years = [int(w) for w in words if w.isdigit() and len(w) == 4]
    if month is None or not days:
        return None, None
    y = years[0] if years else year
    if y is None:
        return None, text
    return f"{y:04d}-{month:02d}-{days[0]:02d}", text


_PARENS = re.compile(r"\(.*?\)")
#: (with room for markup and spaces around the name)
_LONGEST_WRAPPER = 2 * max(len(w) for w in WRAPPERS) + 10


def wrapper(title: str) -> bool:
    """True for a heading that holds sessions (``Programme``, ``Detailed descriptions``)."""
    text = _PARENS.sub("", title) if "(" in title else title
    if len(text) > _LONGEST_WRAPPER:
        return False  # (most session headings are longer than any wrapper's name)
    return " ".join(_words(text)) in WRAPPERS


def closes(title: str) -> bool:
    """True for a row or item that ends the programme (a break too: ``Close of meeting.``)."""
    return bool(_CLOSE.match(fold(title).strip(" .:;-–'\"*()")))


def is_break(title: str) -> bool:
    """True for a row or item that is a break, a meal, registration, a photo or a social event;
    so is one made of such words ("CAKE + PHOTO", "Coffee & snacks"), and a filler wholly in
    brackets ("(chill space)", "(open)")."""
    text = fold(title).strip(" .:;-–'\"*")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        return True
    text = text.strip("()")
    if not text or _BREAK_TITLE.match(text) or text in BREAK_WORDS:
        return True
    pieces = [p.strip() for p in re.split(r"\s*(?:[+&/,]|\band\b|\bund\b|\bet\b)\s*", text) if p.strip()]
    return len(pieces) >= 2 and all(p in BREAK_WORDS or _BREAK_TITLE.match(p) for p in pieces)
