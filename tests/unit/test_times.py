"""The times stage on real-world-style French and English news sentences: what is a time
expression, its TIMEX3 value relative to the document's date, and what is not a time (ages,
counts, the verb "été", "Theresa May")."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.models import TimeExpr
from sitrep.pipeline import Pipeline
from sitrep.reading import read_text
from sitrep.timexpr import duration_value, grammar

DCT = "2024-10-23"  # a Wednesday
EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "nk-troops-russia.fr.txt"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_names(["segment", "posts", "disclosure", "dating", "nlp", "times"])


def times(pipeline: Pipeline, text: str, published: str = DCT) -> list[TimeExpr]:
    doc = read_text(text, published=published, pipeline=pipeline)
    for i, t in enumerate(doc.times, 1):  # ids in order; every span points at its text
        assert t.id == f"t{i}"
        assert doc.text[t.span[0]:t.span[1]] == t.text
    return list(doc.times)


def one(found: list[TimeExpr], text: str) -> TimeExpr:
    hits = [t for t in found if t.text == text]
    assert len(hits) == 1, (text, [(t.text, t.value) for t in found])
    return hits[0]


# ---- the example article, through the whole default pipeline ---------------------------------

def test_example_article_through_the_real_pipeline() -> None:
    doc = read_text(EXAMPLE.read_text(encoding="utf-8"))
    assert doc.published == DCT  # inferred from the embedded post
    by_text = {t.text: t for t in doc.times}
    assert by_text["October 23, 2024"].value == "2024-10-23"
    assert by_text["le 19 juin"].value == "2024-06-19"
    assert by_text["le 13 septembre 2023"].value == "2023-09-13"
    since = next(t for t in doc.times if "septembre" in t.text and t.text != "le 13 septembre 2023")
    assert (since.value, since.start, since.end, since.mod) == ("2024-09", "2024-09-01", DCT, "START")
    by = next(t for t in doc.times if "décembre" in t.text)
    assert (by.value, by.end, by.mod) == ("2024-12", "2024-12-31", "BEFORE")
    assert (by_text["deux jours"].type, by_text["deux jours"].value) == ("DURATION", "P2D")
    assert not any("été" in t.text for t in doc.times)  # "a été créé" is a verb


# ---- French ------------------------------------------------------------------------------------

def test_yearless_date_follows_the_tense(pipeline: Pipeline) -> None:
    past = times(pipeline, "Le procès s'est ouvert le 4 novembre devant la cour d'assises de Paris.")
    future = times(pipeline, "Le procès s'ouvrira le 4 novembre devant la cour d'assises de Paris.")
    assert one(past, "le 4 novembre").value == "2023-11-04"
    assert one(future, "le 4 novembre").value == "2024-11-04"


def test_weekdays_follow_the_tense(pipeline: Pipeline) -> None:
    found = times(pipeline, "Le président s'est rendu mardi à Berlin et se rendra vendredi à Varsovie, "
                            "a annoncé l'Élysée.")
    assert one(found, "mardi").value == "2024-10-22"
    assert one(found, "vendredi").value == "2024-10-25"
    last = times(pipeline, "Le Conseil de sécurité a voté vendredi dernier une résolution.")
    assert one(last, "vendredi dernier").value == "2024-10-18"


def test_relative_days_weeks_years(pipeline: Pipeline) -> None:
    found = times(pipeline, "Hier, le ministre a confirmé que la réunion de la semaine dernière avait échoué, "
                            "comme l'an dernier. Il y a trois jours, un convoi avait été attaqué; "
                            "aujourd'hui, le calme est revenu.")
    assert one(found, "Hier").value == "2024-10-22"
    assert one(found, "la semaine dernière").value == "2024-W42"
    assert one(found, "l'an dernier").value == "2023"
    assert (one(found, "Il y a trois jours").value, one(found, "Il y a trois jours").type) == ("2024-10-20", "DATE")
    assert one(found, "aujourd'hui").value == DCT


def test_bounds_since_and_by(pipeline: Pipeline) -> None:
    found = times(pipeline, "Des soldats sont déployés depuis le mois de septembre et d'autres pourraient "
                            "arriver d'ici décembre.")
    since = one(found, "le mois de septembre")
    assert (since.value, since.start, since.end, since.mod) == ("2024-09", "2024-09-01", DCT, "START")
    assert since.granularity == "month"
    by = one(found, "décembre")
    assert (by.value, by.end, by.mod) == ("2024-12", "2024-12-31", "BEFORE")


def test_durations_in_words_and_digits(pipeline: Pipeline) -> None:
    found = times(pipeline, "Le cessez-le-feu a tenu deux jours, puis dix-huit mois de combats ont suivi; "
                            "l'audience a duré environ une heure et le train a eu 30,4 secondes d'avance.")
    assert one(found, "deux jours").value == "P2D"
    assert one(found, "dix-huit mois").value == "P18M"
    hour = one(found, "environ une heure")
    assert (hour.type, hour.value, hour.mod) == ("DURATION", "PT1H", "APPROX")
    assert one(found, "30,4 secondes").value == "PT30.4S"


def test_since_a_duration_is_anchored(pipeline: Pipeline) -> None:
    found = times(pipeline, "Elle participait depuis trois ans au repas des anciens.")
    three = one(found, "trois ans")
    assert (three.type, three.value, three.end) == ("DURATION", "P3Y", DCT)
    assert three.start is not None and three.start.startswith("2021-10")


def test_sets(pipeline: Pipeline) -> None:
    found = times(pipeline, "Chaque semaine, des milliers de manifestants se rassemblent, et les inscriptions "
                            "ont lieu tous les jeudis.")
    assert (one(found, "Chaque semaine").type, one(found, "Chaque semaine").value) == ("SET", "P1W")
    assert one(found, "tous les jeudis").value == "XXXX-WXX-4"


def test_parts_of_the_day_and_clock_times(pipeline: Pipeline) -> None:
    found = times(pipeline, "Ce matin, le Premier ministre a reçu les syndicats. Un homme a été blessé hier soir. "
                            "L'accident s'est produit mardi vers 21 h 45, près de Belfort.")
    assert one(found, "Ce matin").value == "2024-10-23TMO"
    assert one(found, "hier soir").value == "2024-10-22TEV"
    clock = one(found, "21 h 45")  # "vers" stays outside, as in the French TimeBank
    assert (clock.type, clock.value, clock.mod) == ("TIME", "2024-10-22T21:45", "APPROX")


def test_parts_of_periods_decades_seasons_weekends(pipeline: Pipeline) -> None:
    found = times(pipeline, "Fin octobre, le chômage remontait, après une baisse début 2024. Dans les années 1990, "
                            "le pays a connu la guerre. L'été dernier, les incendies ont tout détruit.")
    assert (one(found, "Fin octobre").value, one(found, "Fin octobre").mod) == ("2024-10", "END")
    assert (one(found, "début 2024").value, one(found, "début 2024").mod) == ("2024", "START")
    assert one(found, "les années 1990").value == "199"
    assert one(found, "L'été dernier").value == "2024-SU"
    weekend = times(pipeline, "Plusieurs coureurs se sont rendus ce week-end à Saint-Gervais.", published="2003-02-04")
    assert one(weekend, "ce week-end").value == "2003-W05-WE"


def test_coordinated_days_share_the_month(pipeline: Pipeline) -> None:
    found = times(pipeline, "Les élections auront lieu les 6 et 13 avril prochains.", published="2003-02-24")
    assert one(found, "les 6").value == "2003-04-06"
    assert one(found, "13 avril prochains").value == "2003-04-13"


def test_nights_and_clock_words(pipeline: Pipeline) -> None:
    found = times(pipeline, "Les frappes ont repris dans la nuit de samedi à dimanche; "
                            "il est rentré à 8 heures du soir.")
    assert one(found, "la nuit de samedi à dimanche").value == "2024-10-19TNI"
    assert one(found, "8 heures du soir").value.endswith("T20:00")


@pytest.mark.parametrize("text", [
    "La sonde s'est posée sur la surface de Mars, selon la NASA.",
    "Un chauffeur de bus de 38 ans a été agressé par deux individus.",
    "Agée de 90 ans, Fernande avait toujours vécu au village.",
    "Florian Désoteux, 26 ans, demeurant à Commercy, a été blessé.",
    "Ce contenu a été créé avec l'aide de l'IA.",
    "Environ 3 000 militaires et 2000 manifestants étaient présents.",
    "Les Jeux olympiques d'hiver s'ouvrent à Salt Lake City.",
    "Le secrétaire à la Défense a confirmé la présence de troupes.",
])
def test_not_time_expressions_fr(pipeline: Pipeline, text: str) -> None:
    assert times(pipeline, text) == []


def test_duration_nouns_keep_their_duration(pipeline: Pipeline) -> None:
    found = times(pipeline, "Il a été condamné à une peine de dix ans de prison.")
    assert one(found, "dix ans").value == "P10Y"


# ---- English -----------------------------------------------------------------------------------

def test_english_dates_and_relative_expressions(pipeline: Pipeline) -> None:
    found = times(pipeline, "The talks, which began two weeks ago, will resume next Tuesday in Geneva, "
                            "officials said yesterday. The UN said last month that fighting had resumed.")
    assert one(found, "two weeks ago").value == "2024-W41"
    assert one(found, "next Tuesday").value == "2024-10-29"
    assert one(found, "yesterday").value == "2024-10-22"
    assert one(found, "last month").value == "2024-09"


def test_english_tense_and_bounds(pipeline: Pipeline) -> None:
    found = times(pipeline, "More troops could be sent by December, and the deployment has continued since September.")
    by = one(found, "December")
    assert (by.value, by.mod, by.end) == ("2024-12", "BEFORE", "2024-12-31")
    since = one(found, "September")
    assert (since.value, since.mod, since.start, since.end) == ("2024-09", "START", "2024-09-01", DCT)
    planned = times(pipeline, "Elections are scheduled for May 5 in the region.")
    past = times(pipeline, "The vote took place on May 5 in the region.")
    assert one(planned, "May 5").value == "2025-05-05"
    assert one(past, "May 5").value == "2024-05-05"


def test_english_durations_sets_and_times(pipeline: Pipeline) -> None:
    found = times(pipeline, "Over the past three years, the ministry has published figures every week. "
                            "The strike lasted three weeks. Police arrested a 47-year-old man at about 6 p.m. "
                            "on Monday.")
    past = one(found, "the past three years")
    assert (past.type, past.value, past.end) == ("DURATION", "P3Y", DCT)
    assert (one(found, "every week").type, one(found, "every week").value) == ("SET", "P1W")
    assert one(found, "three weeks").value == "P3W"
    assert one(found, "47-year-old").value == "P47Y"  # ages are durations in TimeBank
    assert one(found, "about 6 p.m.").value == "2024-10-21T18:00"


def test_english_calendar_periods(pipeline: Pipeline) -> None:
    found = times(pipeline, "Russia's economy grew in the third quarter. He lived in exile in the 1990s. "
                            "Fighting resumed this morning, after a ceasefire agreed on Sept. 30.")
    assert one(found, "the third quarter").value == "2024-Q3"
    assert one(found, "the 1990s").value == "199X"  # TimeML pads truncated values in English
    assert one(found, "this morning").value == "2024-10-23TMO"
    assert one(found, "Sept. 30").value == "2024-09-30"


def test_english_vague_and_relative_periods(pipeline: Pipeline) -> None:
    found = times(pipeline, "Profit fell from $3 million a year earlier, and sales should recover in coming weeks. "
                            "Ministers met over the weekend and again last night.")
    assert one(found, "a year earlier").value == "2023"
    assert (one(found, "coming weeks").type, one(found, "coming weeks").value) == ("DURATION", "PXW")
    assert one(found, "the weekend").value == "2024-W42-WE"
    assert one(found, "last night").value == "2024-10-22TNI"


def test_embedded_post_date(pipeline: Pipeline) -> None:
    text = ("La Corée du Nord a déployé des troupes en Russie, selon le Pentagone.\n"
            "Lloyd Austin says North Korea has deployed troops to Russia https://t.co/uEqO7x4fAg\n"
            "— CNN (@CNN) October 23, 2024")
    assert one(times(pipeline, text), "October 23, 2024").value == "2024-10-23"


@pytest.mark.parametrize("text", [
    "Theresa May said she may resign if the party loses the vote.",
    "The Sunday Times reported that 2,000 protesters marched in London.",
    "Police said 2000 protesters gathered outside the parliament building.",
    "Troops will march to the capital, the general said in a statement.",
    "He was elected for a second time by the regional assembly.",
])
def test_not_time_expressions_en(pipeline: Pipeline, text: str) -> None:
    assert times(pipeline, text) == []


# ---- English: TimeML conventions and the failure classes of the ECB+ gold (tests/data/times) ----

def test_english_reference_points_are_dates(pipeline: Pipeline) -> None:
    found = times(pipeline, "The minister said now that tariffs are currently too high; prices recently rose, "
                            "as they had previously done.")
    assert [(t.text, t.type, t.value) for t in found] == [
        ("now", "DATE", "PRESENT_REF"), ("currently", "DATE", "PRESENT_REF"), ("recently", "DATE", "PAST_REF")]


def test_english_decades_and_centuries_are_padded(pipeline: Pipeline) -> None:
    found = times(pipeline, "Unemployment soared in the late 1980s, the worst level of the 20th century.")
    late = one(found, "the late 1980s")
    assert (late.value, late.mod) == ("198X", "END")
    assert one(found, "the 20th century").value == "19XX"


def test_english_clock_times_and_their_day(pipeline: Pipeline) -> None:
    found = times(pipeline, "The ferry left at 8.45am and docked at 9.30 p.m.; the link failed at 14:05GMT.")
    assert one(found, "8.45am").value == "2024-10-23T08:45"
    assert one(found, "9.30 p.m.").value == "2024-10-23T21:30"
    assert one(found, "14:05GMT").value == "2024-10-23T14:05"
    told = times(pipeline, "Rebels attacked the convoy at 10 a.m. Wednesday and again at 11:15pm Saturday night.")
    assert [(t.text, t.value) for t in told] == [
        ("10 a.m. Wednesday", "2024-10-23T10:00"), ("11:15pm Saturday night", "2024-10-19T23:15")]
    military = times(pipeline, "The ship was attacked on 10 Nov 11 at 1400 hours.")
    assert one(military, "10 Nov 11").value == "2011-11-10"
    assert one(military, "1400 hours").value == "2011-11-10T14:00"


def test_english_durations_with_determiners_modifiers_and_two_units(pipeline: Pipeline) -> None:
    found = times(pipeline, "Negotiators have the 30 days to agree; the meeting lasted about half an hour, "
                            "the flight took 2hrs 15mins and the vote three hours and 20 minutes.")
    assert one(found, "the 30 days").value == "P30D"
    half = one(found, "about half an hour")
    assert (half.value, half.mod) == ("PT30M", "APPROX")
    assert one(found, "2hrs 15mins").value == "PT2H15M"
    assert one(found, "three hours and 20 minutes").value == "PT3H20M"
    vague = times(pipeline, "Repairs should take a day or two, and not a single week has passed without an attack.")
    assert one(vague, "a day or two").value == "PXD"
    assert one(vague, "a single week").value == "P1W"


def test_english_over_is_a_preposition_or_a_modifier(pipeline: Pipeline) -> None:
    found = times(pipeline, "The deal is worth $2 billion over five years; he has lived there for over five years.")
    assert [(t.text, t.mod) for t in found] == [("five years", None), ("over five years", "MORE_THAN")]


def test_english_parts_of_days(pipeline: Pipeline) -> None:
    found = times(pipeline, "The minister will speak later today; troops crossed the border early this morning "
                            "and late yesterday.")
    assert one(found, "later today").value == DCT
    assert (one(found, "early this morning").value, one(found, "early this morning").mod) == ("2024-10-23TMO", "START")
    assert one(found, "late yesterday").value == "2024-10-22"
    told = times(pipeline, "Rebels entered the town on Tuesday. By late afternoon they held the station, "
                           "and the night was calm. Shelling resumed in the early hours of Saturday.")
    assert one(told, "late afternoon").value == "2024-10-22TAF"
    assert one(told, "the night").value == "2024-10-22TNI"
    assert one(told, "the early hours of Saturday").value == "2024-10-19TMO"
    assert times(pipeline, "He sat in the afternoon sun; the night shift was cancelled.") == []


def test_english_offsets_from_the_time_told(pipeline: Pipeline) -> None:
    found = times(pipeline, "Police arrived on Tuesday. Two days later, the suspect surrendered; "
                            "a few hours later, he was charged.")
    assert one(found, "Two days later").value == "2024-10-24"
    assert one(found, "a few hours later").type == "DATE"
    year = times(pipeline, "The plant closed in 2015 and reopened the following year.")
    assert (one(year, "the following year").type, one(year, "the following year").value) == ("DATE", "2016")


def test_english_sets_and_rates(pipeline: Pipeline) -> None:
    found = times(pipeline, "Workers earn 2,500 dollars a month and meet twice a week; "
                            "the car reached 120 miles per hour.")
    assert [(t.text, t.type, t.value) for t in found] == [("a month", "SET", "P1M"), ("twice a week", "SET", "P1W")]
    papers = times(pipeline, "The union holds a weekly meeting, according to the daily Le Monde.")
    assert [(t.text, t.value) for t in papers] == [("weekly", "P1W")]


def test_english_months_days_and_years_in_names(pipeline: Pipeline) -> None:
    month = times(pipeline, "Smith's October visit was cancelled. March participants chanted slogans. "
                            "Theresa May spoke.")
    assert [(t.text, t.value) for t in month] == [("October", "2024-10")]
    assert times(pipeline, "USA Today reported the story, and Black Friday sales fell.") == []
    named = times(pipeline, "The September 11 attacks killed nearly 3,000 people; the vote is on September 11.")
    assert [t.value for t in named] == ["2001-09-11", "2024-09-11"]


def test_english_periods_around_an_event(pipeline: Pipeline) -> None:
    found = times(pipeline, "In the days following the vote, and in the week after the election, prices fell; "
                            "in past months they rose. Crews worked all day.")
    assert [(t.text, t.value) for t in found] == [
        ("the days", "PXD"), ("the week", "P1W"), ("past months", "PXM"), ("all day", "P1D")]


def test_english_participle_tells_a_done_event(pipeline: Pipeline) -> None:
    found = times(pipeline, "A report released Saturday showed that exports fell.")
    assert one(found, "Saturday").value == "2024-10-19"  # not the next Saturday, although nearer


# ---- the grammar on its own ----------------------------------------------------------------------

SAMPLES = {
    "fr": ["Poutine a effectué une visite de deux jours en Corée du Nord le 19 juin, puis fin 2024.",
           "Depuis le mois de septembre, 3 000 soldats; d'ici décembre, il y a trois jours, vers 21 h 45.",
           "Les 6 et 13 avril prochains, au XXe siècle, dans les années 1990, le premier trimestre 2024.",
           "Un homme de 38 ans, tous les jeudis, chaque semaine, la nuit de samedi à dimanche, en 24 h."],
    "en": ["On Tuesday, Oct. 22, 2024, at about 6 p.m. local time, two weeks ago, in the 1990s.",
           "Since September, by December, the third quarter of 2024, the 20th century, every other day.",
           "A 47-year-old man, for a week, the past three years, last night, early next week, in May.",
           "At 8.45am, 14:05GMT, 10 a.m. Wednesday, 1400 hours, 2hrs 15mins, about half an hour, a day or two.",
           "Two days later, the following year, 2,500 dollars a month, twice a week, the September 11 attacks.",
           "In the days following the vote, Smith's October visit, late afternoon, the early hours of Saturday."],
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_rules_run_near_their_anchors_without_losing_matches(lang: str) -> None:
    """The windows around anchor words find exactly what scanning the whole text finds."""
    g = grammar(lang)
    assert g is not None
    for text in SAMPLES[lang]:
        fast = {(f.rule, f.span) for f in g.find(text)}
        full = {(i, m.span()) for i, rule in enumerate(g.rules) for m in rule.pattern.finditer(text)}
        assert fast == full, text


def test_numbers_and_durations() -> None:
    fr, en = grammar("fr"), grammar("en")
    assert fr is not None and en is not None
    assert fr.number("quatre-vingt-dix-huit") == 98
    assert fr.number("vingt et un") == 21
    assert en.number("twenty-five") == 25
    assert duration_value(1.5, "Y") == "P18M"
    assert duration_value(2, "H") == "PT2H"
    assert duration_value(6, "6M") == "P36M"
    assert grammar("de") is None  # no lexicon, no times
