"""Build the Indonesian spaCy pipeline that Rasa's SpacyNLP loads.

There is no trained Indonesian spaCy pipeline on the registries, so we build
one: spacy.blank("id") (tokenizer exceptions, stop words) plus the lookup
lemmatizer with spacy-lookups-data's Indonesian table. Rasa's SpacyTokenizer
hands the lemmas to the featurizers, so "mendampingi", "pendampingan" and
"didampingi" all become "damping".

The tokenizer is ours (TOKENIZER below): spaCy's Indonesian defaults carry
about 16,000 tokenizer exceptions, nearly all hyphenated reduplications
(anak-anak), and adding them took 15-60 s of every spacy.load, i.e. of every
server start, training and CV fold. Ours has no exceptions and keeps any
hyphenated word whole instead, which is what those exceptions did; it is
found at load time through the `spacy_tokenizers` entry point in
pyproject.toml, because Rasa's SpacyNLP imports nothing of ours first.

The lookup table is enriched before it is saved:
- spaCy's Indonesian norm table and our COLLOQUIAL table fold chat spellings
  into standard words (gak -> tidak, gimana -> bagaimana, tgs -> tugas);
- passive forms are derived from active ones (mendampingi -> didampingi);
- a capitalised copy of every entry, because the lookup is case-sensitive.

Usage: python -m counselor.nlp OUTPUT_DIR
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

TOKENIZER = "konselor.HyphenatedWordsTokenizer.v1"
# A word joined by hyphens ("kadang-kadang", "ciri-ciri") is one token.
HYPHENATED_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)+$")

# Chat spellings not covered by spaCy's norm table. Values are standard words.
COLLOQUIAL = {
    "ga": "tidak", "gk": "tidak", "ngga": "tidak", "nggk": "tidak", "enggak": "tidak",
    "engga": "tidak", "kagak": "tidak", "tdk": "tidak", "gak": "tidak", "nggak": "tidak",
    "gimana": "bagaimana", "gmn": "bagaimana", "gimna": "bagaimana", "bgmn": "bagaimana",
    "aja": "saja", "aj": "saja", "yg": "yang", "tgs": "tugas", "tugasnya": "tugas",
    "apaan": "apa", "apa'an": "apa", "ap": "apa", "sm": "sama", "dgn": "dengan",
    "dg": "dengan", "bgt": "banget", "krn": "karena", "karna": "karena", "utk": "untuk",
    "buat": "untuk", "kerjaan": "kerja", "kerjanya": "kerja", "kyk": "seperti",
    "kayak": "seperti", "kaya": "seperti", "gitu": "begitu", "gini": "begini",
    "emang": "memang", "emg": "memang", "bener": "benar", "udah": "sudah", "udh": "sudah",
    "dah": "sudah", "blm": "belum", "tuh": "itu", "nih": "ini",
    "pengen": "ingin", "pgn": "ingin", "bs": "bisa",
    "ortu": "orang tua", "org": "orang", "orng": "orang", "sy": "saya", "aku": "saya",
    "gw": "saya", "gue": "saya", "gua": "saya", "km": "kamu", "lu": "kamu", "lo": "kamu",
    "konselornya": "konselor", "konslor": "konselor", "konsler": "konselor",
    "pemberdyaan": "pemberdayaan", "pemberdayan": "pemberdayaan", "pemberdaya": "pemberdayaan",
    "ngapain": "apa", "ngapa": "apa", "knp": "kenapa", "bedanya": "beda", "perbedaannya": "beda",
    # Javanese, Sundanese and Betawi words that students mix into Indonesian (blind-8, session 6)
    "ora": "tidak", "teu": "tidak", "henteu": "tidak", "ndak": "tidak", "nda": "tidak",
    "kaga": "tidak", "piye": "bagaimana", "kepiye": "bagaimana", "kumaha": "bagaimana",
    "opo": "apa", "naon": "apa",
    # "hps data sy" read as asking what is stored (blind-16, read; round 12)
    "hps": "hapus", "hpus": "hapus", "hapusin": "hapus",
}

ACTIVE_PREFIXES = ("meng", "meny", "mem", "men", "me")


def enrich(table: dict, norms: dict) -> dict:
    """Return a lemma table with colloquial, passive and capitalised entries."""
    lemmas = dict(table)
    for word, standard in {**norms, **COLLOQUIAL}.items():
        # A multi-word norm ("orang tua") keeps its first word as the lemma.
        head = standard.split()[0]
        lemmas[word] = table.get(head, head)
    for word, lemma in table.items():
        for prefix in ACTIVE_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix) + 2:
                lemmas.setdefault("di" + word[len(prefix):], lemma)
                break
    for word, lemma in list(lemmas.items()):
        lemmas.setdefault(word.capitalize(), lemma)
    return lemmas


def hyphenated_words_tokenizer():
    """spaCy's tokenizer with the Indonesian punctuation rules and no exceptions."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    def create(nlp):
        defaults = nlp.Defaults
        return Tokenizer(
            nlp.vocab,
            rules={},
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=HYPHENATED_WORD.match,
            url_match=defaults.url_match,
        )

    return create


def build(output_dir: Path):
    import spacy
    import spacy_lookups_data
    import srsly
    from spacy.lookups import Lookups

    def stock_table(name: str) -> dict:
        # The JSON, not spaCy's Table: a Table keeps only hashes of its keys.
        return srsly.read_gzip_json(spacy_lookups_data.get_file(f"id_{name}.json.gz"))

    from spacy.util import registry

    # The entry point registers it too once installed; this also works before.
    registry.tokenizers.register(TOKENIZER, func=hyphenated_words_tokenizer)
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    enriched = Lookups()
    enriched.add_table("lemma_lookup", enrich(stock_table("lemma_lookup"), stock_table("lexeme_norm")))
    nlp.initialize()
    # After nlp.initialize(), which would load the stock table again.
    lemmatizer.initialize(lookups=enriched)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return nlp


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_id")
    pipeline = build(target)
    sample = "Gimana sih tgs konselor yg mendampingi dan didampingi, gak cuma kasih nasihat aja?"
    print(f"built {target}:", " ".join(t.lemma_ for t in pipeline(sample)))
