"""The verdict message for contrasting profiles."""
from counselor.scoring import load_rubric, score
from counselor.verdict_text import (DISCLAIMER, REALITY_REMINDER, SOCIAL_WORK_NOTE, UNSURE_NOTE,
                                    render, shown_mean)

RUBRIC = load_rubric()
LABELS = {t.trait: t.label for t in RUBRIC}
GROWTH = {t.trait: t.growth for t in RUBRIC}


def text_for(default=5, **overrides):
    values = {t.trait: default for t in RUBRIC}
    values.update(overrides)
    return render(score(RUBRIC, values))


def test_good_fit_message():
    text = text_for(5)
    assert "COCOK" in text and "KURANG COCOK" not in text
    assert "■■■■■ 5/5  Empati" in text
    assert "Kekuatanmu:" in text and "Yang bisa kamu kembangkan" not in text
    assert REALITY_REMINDER in text and DISCLAIMER in text
    assert SOCIAL_WORK_NOTE not in text


def test_only_weak_trait_is_empathy_and_the_user_is_told_so():
    text = text_for(5, empathy=2)
    assert "KURANG COCOK" in text
    assert "Alasan utamanya: empati." in text
    assert f"• Empati: {GROWTH['empathy']}" in text
    assert "■■□□□ 2/5  Empati" in text
    for trait in ("listening", "patience", "support"):
        assert f"• {LABELS[trait]}: {GROWTH[trait]}" not in text


def test_a_veto_names_its_own_reason_and_keeps_the_mean_out_of_the_headline():
    patience = text_for(5, patience=2)
    headline, _, rest = patience.partition("\n")
    assert headline == "Hasil tes kecocokanmu: KURANG COCOK"
    assert "Alasan utamanya: kesabaran." in rest
    assert "kurang sabar dalam mendengarkan serta memberikan solusi" in rest
    assert "empati" not in rest.split("Rincian")[0].lower()
    mean = shown_mean(score(RUBRIC, {**{t.trait: 5 for t in RUBRIC}, "patience": 2}).mean)
    assert float(mean) >= 4.0 and f"Skor rata-ratamu {mean} dari 5" in rest
    both = text_for(5, empathy=1, listening=2)
    assert "Alasan utamanya: empati dan mendengarkan." in both
    assert "sulit berempati dengan masalah orang lain atau kurang mampu mendengarkan" in both


def test_every_core_trait_has_a_veto_reason():
    assert all(t.veto_reason for t in RUBRIC if t.core)


def test_partial_fit_with_growth_advice_and_social_work():
    text = text_for(4, hands_on=3, individual_focus=1)
    assert "CUKUP COCOK" in text
    assert f"• {LABELS['hands_on']}: {GROWTH['hands_on']}" in text
    assert SOCIAL_WORK_NOTE in text and "struktural dan sistemik" in text


def test_growth_advice_is_limited_and_the_rest_is_named():
    text = text_for(3)
    assert text.count("• ") == 4  # three with advice, one line naming the rest
    assert "• Selain itu, kamu juga bisa mengasah:" in text


def test_two_users_get_visibly_different_verdicts():
    assert text_for(5, collaboration=2) != text_for(5, hands_on=2)


def test_bars_are_read_back_from_the_rendered_verdict():
    from counselor import scoring, verdict_chart, verdict_text
    rubric = scoring.load_rubric()
    values = [5, 4, 3, 2, 1, 5, 4, 3]
    text = verdict_text.render(scoring.score(rubric, {t.trait: v for t, v in zip(rubric, values)}))
    bars = verdict_text.parse_bars(text)
    assert bars == [(t.label, v) for t, v in zip(rubric, values)]
    assert verdict_text.parse_bars("tugas konselor apa aja") == []
    png = verdict_chart.render_png(bars)
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_the_mean_is_shown_rounded_down_so_it_never_shows_the_next_band():
    assert [shown_mean(m) for m in (3.96, 4.0, 2.99, 3.0, 4.55)] == ["3.9", "4.0", "2.9", "3.0", "4.5"]


def test_the_reality_reminder_is_not_said_twice_when_its_growth_advice_is_shown():
    text = text_for(5, realistic_expectations=2)
    assert f"• {LABELS['realistic_expectations']}: {GROWTH['realistic_expectations']}" in text
    assert text.lower().count("bukan solusi instan untuk semua masalah") == 1
    assert REALITY_REMINDER in text_for(5, collaboration=2)


def test_answers_mostly_in_the_middle_are_said_to_say_little():
    all_unsure = text_for(3)
    assert "CUKUP COCOK" in all_unsure and UNSURE_NOTE in all_unsure
    five_of_eight = text_for(3, empathy=5, listening=4, support=5)
    assert UNSURE_NOTE in five_of_eight
    four_of_eight = text_for(3, empathy=5, listening=4, support=5, patience=4)
    assert UNSURE_NOTE not in four_of_eight
    assert UNSURE_NOTE not in text_for(5) and UNSURE_NOTE not in text_for(1)


def test_the_social_work_hint_is_said_once():
    text = text_for(5, individual_focus=1)
    assert SOCIAL_WORK_NOTE in text and "lihat juga profesi pekerja sosial" not in text
    assert GROWTH["individual_focus"] not in text
    # at 3 there is no note, so the growth advice points to social work itself
    assert GROWTH["individual_focus"] in text_for(5, individual_focus=3)
