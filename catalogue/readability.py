"""Flesch-Kincaid grade level, for keeping client-facing text plain.

Syllables come from Pyphen's English hyphenation patterns (already installed with
WeasyPrint), so nothing needs downloading.
"""

import re

import pyphen

_hyphenator = pyphen.Pyphen(lang="en_US")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
SENTENCE_END = re.compile(r"[.!?]+")


def syllables(word):
    return max(1, len(_hyphenator.positions(word.lower())) + 1)


def grade_level(text):
    words = WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in SENTENCE_END.split(text) if WORD.search(s)]))
    syllable_count = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59
