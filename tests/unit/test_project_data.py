"""Domain, rules and rubric agree with each other and with the source text."""
import re
import subprocess

import yaml

from counselor.scoring import load_rubric
from tests import harness

DOMAIN = yaml.safe_load((harness.ROOT / "domain.yml").read_text(encoding="utf-8"))
SOURCE = (harness.ROOT / "counselor" / "source.txt").read_text(encoding="utf-8")
TRAITS = [t.trait for t in load_rubric()]


def response_text(name):
    return " ".join(variant["text"] for variant in DOMAIN["responses"][name])


def test_form_asks_every_rubric_trait_in_order():
    assert DOMAIN["forms"]["suitability_form"]["required_slots"] == TRAITS
    for trait in TRAITS:
        assert f"action_ask_{trait}" in DOMAIN["actions"]
        mapping = DOMAIN["slots"][trait]["mappings"][0]
        assert mapping["conditions"] == [{"active_loop": "suitability_form", "requested_slot": trait}]


def test_contract_intents_are_in_the_domain():
    contract = {"ask_overview", "ask_duties", "ask_fit", "ask_unfit", "ask_misconception",
                "ask_expectation", "ask_difference_social_worker", "start_interview",
                "greet", "goodbye", "thank", "bot_challenge", "out_of_scope", "affirm", "deny",
                "delete_my_data", "crisis"}
    assert contract <= set(DOMAIN["intents"])


# Every fact of the source text, and the answer that carries it.
SOURCE_FACTS = {
    "utter_overview": ["mendampingi individu dan kelompok", "mengatasi masalah", "memperkuat potensi"],
    "utter_duties": ["konseling dan bimbingan", "individu, keluarga, dan komunitas", "mengatasi masalah",
                     "mengembangkan keterampilan dan kemampuan", "advokasi",
                     "membangun kerja sama dengan berbagai pihak terkait", "lingkungan yang mendukung"],
    "utter_fit": ["empati tinggi", "mendengarkan dengan baik", "dukungan psikologis", "individu dan kelompok"],
    "utter_unfit": ["kurang punya empati", "sulit ikut merasakan masalah orang lain",
                    "kurang sabar dalam mendengarkan dan memberi solusi"],
    "utter_misconception": ["memberi nasihat tanpa aksi nyata", "terlibat langsung",
                            "pemberdayaan dan pembangunan masyarakat"],
    "utter_expectation": ["solusi instan", "mengenali masalah", "merencanakan tindakan", "perubahan"],
    "utter_difference_social_worker": ["pekerja sosial", "individu dan kelompok", "potensi penuh",
                                       "konseling dan pembinaan", "struktural dan sistemik",
                                       "kesejahteraan masyarakat secara keseluruhan"],
}


def test_every_source_fact_is_in_an_answer():
    for response, facts in SOURCE_FACTS.items():
        text = re.sub(r"\s+", " ", response_text(response))
        for fact in facts:
            assert fact in text, f"{response} lacks {fact!r}"


def test_answers_invent_nothing_about_money_or_credentials():
    everything = " ".join(response_text(name) for name in DOMAIN["responses"]).lower()
    for invented in ("rp", "gaji", "juta", "sertifikasi", "s1 ", "sarjana", "lisensi"):
        assert invented not in everything, invented


def test_source_text_is_the_one_the_project_ships():
    assert SOURCE.startswith("Pekerjaan konselor dalam bidang pemberdayaan masyarakat")
    assert "pekerja sosial lebih cenderung bekerja pada tingkat struktural dan sistemik" in SOURCE


def test_rasa_data_validate_passes_with_warnings_as_errors():
    result = subprocess.run(
        [str(harness.VENV_BIN / "rasa"), "data", "validate", "--fail-on-warnings"],
        cwd=harness.ROOT, env=harness.ENV, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _readme_layout():
    """{top-level name: [names listed under it]} from README's "How it is built" tree."""
    readme = (harness.ROOT / "README.md").read_text(encoding="utf-8")
    tree = readme.split("## How it is built", 1)[1].split("```", 2)[1]
    layout, current = {}, None
    for line in tree.splitlines():
        if not line.strip():
            continue
        name = line.split()[0]
        if not line.startswith(" "):
            current = name
            layout[current] = []
        elif line.startswith("  ") and not line.startswith("   "):
            layout[current].append(name)
    return layout


def test_readme_layout_matches_the_tracked_files():
    tracked = subprocess.run(["git", "ls-files"], cwd=harness.ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    layout = _readme_layout()
    top_level = {path.split("/")[0] + ("/" if "/" in path else "") for path in tracked}
    top_level = {name for name in top_level if not name.startswith(".") and name != "README.md"}
    listed = {name.split("/")[0] + "/" if name.endswith("/") or "/" in name.rstrip("/") else name
              for name in layout}
    assert top_level <= listed, f"tracked but not in README: {sorted(top_level - listed)}"
    for name, children in layout.items():
        assert any(path == name or path.startswith(name) for path in tracked), name
        if not children:
            continue
        modules = {path[len(name):] for path in tracked
                   if path.startswith(name) and "/" not in path[len(name):]
                   and path.rsplit("/", 1)[-1] != "__init__.py"}
        assert set(children) == modules, f"{name}: README {sorted(children)} vs git {sorted(modules)}"
