"""The request classifier (classifiers/): trained pipelines plus evidence rules, measured and pinned.

The figures against the targets come from `helpdesk classify --eval`; the floors here only catch
a model that has clearly got worse. The sentences below were written apart from the corpus.
"""

from __future__ import annotations

import socket
from collections import Counter
from pathlib import Path

import pytest

from classifiers import Classification, classify
from classifiers.evaluation import evaluate
from classifiers.language import also_written_in
from classifiers.model import PARAGRAPH_FLOOR, THRESHOLD, RequestClassifier, combine, default_classifier
from classifiers.pipeline import SearchWindows, choose_anchors
from classifiers.rules import RULES
from classifiers.text import from_a_mailing, own_text, prepare
from classifiers.train import train
from helpdesk.corpus import EMAILS, labelled_texts, read_manifest, read_split, split_of
from helpdesk.intake import parse
from tests.conftest import fixture_mail


def read_and_classify(name: str) -> tuple[str, Classification]:
    inbound = parse(fixture_mail(name), "momgemstone.nl")
    return inbound.subject + "\n" + inbound.text, classify(inbound.subject, inbound.text)


def test_the_manifest_lists_every_fixture_mail_once_with_its_fixed_split() -> None:
    rows = read_manifest()
    files = [row.file for row in rows]
    assert len(files) == len(set(files))
    on_disk = {str(path.relative_to(EMAILS)) for path in EMAILS.rglob("*.eml")}
    assert set(files) == on_disk
    assert all(row.split == split_of(row.file) for row in rows)
    assert all(row.is_request == bool(row.kinds) for row in rows)


def test_the_corpus_is_as_large_and_varied_as_promised() -> None:
    rows = read_manifest()
    languages = [row.language for row in rows]
    assert len(rows) >= 300
    assert languages.count("nl") >= 0.4 * len(rows)
    assert languages.count("en") >= 0.3 * len(rows)
    assert {"de", "fr"} <= set(languages)


@pytest.fixture(scope="module")
def dev_evaluation() -> object:
    classifier = default_classifier()
    rows = read_split("dev")
    return evaluate(
        [row.file for row, _ in rows],
        [row.kinds for row, _ in rows],
        [row.language for row, _ in rows],
        [classifier.classify(*read) for _, read in rows],
    )


def test_on_the_dev_split_requests_are_found_and_kinds_told_apart(dev_evaluation: object) -> None:
    result = dev_evaluation
    # Regression floors just under the shipped model's figures (README: caught 1.000, recall 0.961,
    # precision 0.969, macro F1 0.930); the targets are reported by `helpdesk classify --eval`.
    assert result.caught.recall >= 0.98, result.misses  # type: ignore[attr-defined]
    assert result.is_request.recall >= 0.93  # type: ignore[attr-defined]
    assert result.is_request.precision >= 0.94, result.false_alarms  # type: ignore[attr-defined]
    assert result.macro_f1 >= 0.89  # type: ignore[attr-defined]


def test_on_the_dev_split_the_language_is_right(dev_evaluation: object) -> None:
    result = dev_evaluation
    assert len(result.language_errors) <= 0.05 * result.mails, result.language_errors  # type: ignore[attr-defined]


def test_every_kind_found_in_a_fixture_request_is_shown_with_evidence_from_the_mail() -> None:
    for row in read_manifest():
        if not row.is_request or row.file == "broken_from.eml":
            continue
        text, classification = read_and_classify(row.file)
        words = " ".join(text.split())  # a quote reads a hard-wrapped line break as a space
        for kind in classification.kinds:
            spans = [item.text for item in classification.evidence if item.kind == kind]
            assert spans, f"{row.file}: {kind} without evidence"
            assert all(" ".join(span.split()) in words for span in spans), (row.file, spans)


def test_the_json_contract() -> None:
    _, classification = read_and_classify("multi_kind_en_known.eml")
    as_json = classification.to_json()
    assert set(as_json) == {
        "is_request", "kinds", "language", "possible", "request_confidence", "confidence", "evidence",
        "mailing",
    }  # fmt: skip
    assert as_json["kinds"] == ["access", "erasure"]
    assert {item["kind"] for item in as_json["evidence"]} >= {"access", "erasure"}
    starts = [item["start"] for item in as_json["evidence"]]
    assert starts == sorted(starts)


def test_privacy_words_in_a_quoted_footer_do_not_make_a_request() -> None:
    text, classification = read_and_classify("quoted_thread_nl.eml")
    assert "inzage, rectificatie" in text  # the footer is there, in the quote
    assert not classification.is_request


def test_a_question_about_privacy_in_general_is_a_possible_request_not_a_sure_one() -> None:
    classification = classify(
        "Vraag", "Hoe gaan jullie eigenlijk om met privacy? Ik twijfel of ik iets bestel."
    )
    assert not classification.is_request
    assert classification.possible


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Update van onze verwerkersovereenkomst",
            "Beste klant,\n\nPer 1 januari passen wij onze verwerkersovereenkomst aan. Vanaf dan kunt u in "
            "het dashboard een inzageverzoek of vergeetverzoek van uw klanten met één klik afhandelen. De "
            "nieuwe voorwaarden leest u op ons platform.\n\nMet vriendelijke groet,\nTeam ShopPlatform",
        ),
        (
            "New: GDPR toolkit for webshops",
            "Hi there,\n\nIs your shop ready for subject access requests and the right to be forgotten? "
            "Our GDPR toolkit handles every data subject request in minutes. Book a free demo this week."
            "\n\nBest regards,\nTom from PrivacyPro",
        ),
    ],
)
def test_a_vendor_mail_full_of_rights_words_is_only_a_possible_request(subject: str, body: str) -> None:
    classification = classify(subject, body)
    assert classification.evidence  # the rules see the words ...
    assert not classification.is_request  # ... the model sees no customer asking
    assert classification.possible  # and a person has the last word


@pytest.mark.parametrize(
    "body",
    [
        "Please do NOT delete my account. The ring was stolen and my insurer needs the order as proof. "
        "Just keep everything as it is and don't use it for anything until the claim is settled.",
        "Mijn account en bestellingen graag NIET verwijderen, de verzekering wil de aankoop zien. "
        "Bewaar het tot de claim rond is, verder hoeven jullie er niks mee te doen.",
    ],
)
def test_do_not_delete_asks_for_restriction_not_erasure(body: str) -> None:
    classification = classify("Claim", body)
    assert [str(kind) for kind in classification.kinds] == ["restriction"]
    assert all(item.kind != "erasure" for item in classification.evidence)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi pls unsubcribe me from all your emails", "objection"),  # as people type it
        ("Die kortingsmails elk jaar, wilt u dat stoppen?", "objection"),
        ("Please stop the birthday emails.", "objection"),
        ("Could you take me off the text message offers?", "objection"),
        ("I'd rather you didn't pass my details to the courier for their marketing.", "objection"),
        ("Please switch off the click tracking for my address.", "objection"),
        ("Kunnen jullie mijn nummer daar vanaf halen?", "objection"),
        ("Eigenlijk mag mijn account wel weg.", "erasure"),
        ("Zet mijn account maar op slot tot dit is opgelost.", "restriction"),
        ("Mijn geboortedatum klopt niet, kunnen jullie dat goed zetten?", "rectification"),
        ("Mon nom est mal orthographié dans mon compte.", "rectification"),
        ("Graag van deze lijst af.", "objection"),
        ("Wilt u mij voortaan geen verzoeken om een review meer sturen?", "objection"),
        ("Je reçois vos SMS tous les jours, pouvez-vous arrêter les promotions ?", "objection"),
        ("dit is mijn laatste bestelling, mijn account mag daarna weg", "erasure"),
        ("Once the refund is through I want my account closed.", "erasure"),
        ("Könnten Sie bitte meinen Namen im Kundenkonto ändern?", "rectification"),
        ("Willen jullie dit in ons zakelijk account aanpassen?", "rectification"),
        ("Verwijderen hoeft niet, die stukken heb ik nog nodig.", "restriction"),
        ("Ik vraag me af hoe lang u mijn naam, adres en bestellingen nog bewaart.", "access"),
        ("Willen jullie mijn account en alles wat erin staat direct bevriezen?", "restriction"),
        ("Bewaar mijn gegevens, maar gebruik ze verder nergens voor.", "restriction"),
        ("While I check, please don't do anything with this account.", "restriction"),
        ("Bitte speichern Sie meine Daten nur und verwenden Sie sie für nichts anderes.", "restriction"),
        ("Namens mijn vader verzoek ik u zijn gegevens te verwijderen.", "erasure"),  # on his behalf
        ("Ik verzoek u het klantaccount van mijn moeder op te heffen.", "erasure"),
        ("First tell me what you have, then I want all of it wiped.", "erasure"),
        ("And I want the promotional emails to stop, today.", "objection"),
        ("Graag afmelden voor alles: mail, sms en post.", "objection"),
        ("Sperren Sie bitte mein Kundenkonto, bis das geklärt ist.", "restriction"),
        ("Bewaren jullie mijn geboortedatum ook ergens in jullie systeem?", "access"),
        ("In mijn profiel staat postcode 1234 AB maar het moet 1243 AB zijn.", "rectification"),
    ],
)
def test_everyday_phrasings_are_evidence_of_their_kind(text: str, kind: str) -> None:
    assert kind in {str(item.kind) for item in classify("", text).evidence}


@pytest.mark.parametrize(
    "text",
    [
        "Mijn account zit op slot, ik kan niet meer inloggen.",  # locked out: a login question
        "Ik ben bezig al mijn online accounts op te schonen.",
        "Haal me uit die verzendlijst, ik wil die mails niet.",  # objection, not erasure
    ],
)
def test_words_near_erasure_phrasings_are_no_evidence_of_erasure(text: str) -> None:
    doc = default_classifier().pipelines["nl"](text)
    assert "erasure" not in {span.label_ for span in doc.spans["evidence"]}


NEWSLETTER = (
    "Black Friday and your customers' rights\n\n"
    '"Please delete my data": the right to erasure is not absolute, you may keep invoices. '
    '"Send me a copy of everything you hold on me": answer a subject access request within a month. '
    '"Unsubscribe me" is an objection under Art. 21(3).\n\n'
    "Download our free checklist.\n\n"
    "You're receiving this email because you signed up at shopprivacy.example. Unsubscribe | Privacy"
)


def test_a_mailing_is_only_a_possible_request_however_sure_its_words() -> None:
    classification = classify("Shop Privacy Weekly #12", NEWSLETTER)
    assert classification.mailing
    assert classification.evidence  # the rules still show the privacy contact what they saw
    assert not classification.is_request
    assert classification.possible


@pytest.mark.parametrize(
    "footer",
    [
        "Je ontvangt deze e-mail omdat je klant bent bij Bloemen Bakker. Afmelden",
        "Je ontvangt deze nieuwsbrief als aangesloten webwinkel.",
        "Sie erhalten diesen Newsletter, weil Sie sich angemeldet haben.",
        "Vous recevez cet e-mail car vous êtes inscrit à notre lettre.",
        "This message was sent to info@momgemstone.nl by Example Mail.",
        "If you'd prefer not to hear from me again, just reply STOP.",
        "Afmelden: https://example.org/afmelden",
        "Not for you? Just reply 'no thanks' and I won't follow up.",
    ],
)
def test_a_mailing_is_known_by_its_footer(footer: str) -> None:
    assert from_a_mailing(prepare("Nieuws", f"Beste lezer,\n\nOns nieuws van deze maand.\n\n{footer}"))


def test_a_customer_who_writes_about_receiving_mail_is_no_mailing() -> None:
    body = "U ontvangt deze e-mail omdat ik wil dat u mijn gegevens verwijdert. Ik krijg steeds reclame."
    assert not from_a_mailing(prepare("Verwijderen", body))


def test_a_forwarded_mailing_with_a_complaint_on_top_is_still_a_request() -> None:
    body = (
        "Hello,\n\nThis came from a perfume shop I never dealt with, and it says it is because I am "
        "your customer. Please stop passing my details to your partners.\n\nThomas\n\n"
        "-----Original Message-----\nFrom: Scents <hello@scents.example>\nSent: Monday\n\n"
        "Dear Thomas, discover our winter collection.\n\n"
        "You are receiving this message because you are a customer of MOM Gemstone. Unsubscribe | Privacy"
    )
    text = prepare("FW: A gift for you", body)
    assert "Unsubscribe | Privacy" in text  # the forwarded mailing is read ...
    assert not from_a_mailing(text)  # ... but its footer is not the sender's
    assert classify("FW: A gift for you", body).is_request


def test_a_paragraph_that_surely_asks_something_makes_the_mail_a_request() -> None:
    cats = {"request": 0.2, "rectification": 0.8}
    below = combine(cats, [], "nl", best_paragraph=PARAGRAPH_FLOOR - 0.05)
    assert not below.is_request and below.possible  # reads as a request on its own: a person looks
    assert below.request_confidence < THRESHOLD
    above = combine(cats, [], "nl", best_paragraph=PARAGRAPH_FLOOR)
    assert above.is_request and [str(kind) for kind in above.kinds] == ["rectification"]
    assert not combine(cats, [], "nl", best_paragraph=PARAGRAPH_FLOOR, mailing=True).is_request


@pytest.mark.parametrize(
    ("language", "text", "asked"),
    [
        ("nl", "U heeft het recht op inzage en verwijdering van uw gegevens. Verwijder mijn account.", 1),
        ("en", "You have the right to obtain a copy of your data and the right to be forgotten.", 0),
        ("en", "Conformément au RGPD, vous disposez d'un droit d'accès et de suppression de vos données.", 0),
        ("en", "Sie haben das Recht auf Auskunft und Löschung Ihrer Daten.", 0),
    ],
)
def test_rights_explained_to_the_reader_are_privacy_words_not_a_request(
    language: str, text: str, asked: int
) -> None:
    doc = default_classifier().pipelines[language](text)
    labels = [span.label_ for span in doc.spans["evidence"]]
    assert "privacy" in labels  # the words are seen, as a hint for a possible request ...
    assert len([label for label in labels if label != "privacy"]) == asked  # ... but only asking counts


def test_a_request_buried_in_a_long_complaint_is_a_request() -> None:
    body = (
        "Goedemiddag,\n\nOp 3 november bestelde ik twee zilveren oorbellen met granaat, bestelnummer "
        "MOM-20417. Het pakket zou binnen twee werkdagen komen, maar PostNL heeft het drie keer bij de "
        "verkeerde buren afgegeven en de doos was nat en gedeukt. Eén oorbel mist het haakje, de andere "
        "zit los in het zakje. De klantenservice belde ik twee keer, beide keren werd ik niet "
        "teruggebeld. Ik stuur de oorbellen dus terug en wil het volledige bedrag terug, inclusief de "
        "verzendkosten.\n\nEn als het geld terug is: verwijder dan ook mijn account en al mijn gegevens.\n\n"
        "Met vriendelijke groet,\nMarloes"
    )
    classification = classify("Klacht over bezorging", body)
    assert classification.is_request
    assert [str(kind) for kind in classification.kinds] == ["erasure"]


def test_a_request_in_plain_words_inside_an_order_question_is_a_request() -> None:
    body = (
        "Hoi,\n\nIs de hanger met amethist ook in geelgoud leverbaar? En hoe lang is het kettinkje "
        "precies, ik zoek iets van rond de 45 cm. Ik wil hem namelijk als cadeau geven voor de verjaardag "
        "van mijn moeder, volgende maand. Kan er ook een kaartje bij met een persoonlijke tekst, en wordt "
        "het pakje dan zonder prijs verstuurd?\n\nVorig jaar heb ik ook al een ring bij jullie gekocht en "
        "die was prachtig verpakt, dus ik heb er vertrouwen in.\n\nNog iets anders: ik krijg elke week "
        "jullie aanbiedingen per sms, daar zit ik echt niet op te wachten. Willen jullie daar een eind "
        "aan maken?\n\nGroetjes,\nSanne"
    )
    whole = default_classifier().pipelines["nl"](prepare("Amethist hanger", body))
    assert whole.cats["request"] < 0.3  # the mail as a whole reads as an order question
    assert not whole.spans["evidence"]  # and no rule knows these words
    classification = classify("Amethist hanger", body)
    assert classification.is_request  # but its last paragraph, read on its own, surely asks something
    assert [str(kind) for kind in classification.kinds] == ["objection"]
    (evidence,) = classification.evidence
    assert "aanbiedingen per sms" in evidence.text  # the sentence that says it, for the privacy contact


def test_a_part_of_a_mail_is_scored_as_the_same_text_would_be_on_its_own() -> None:
    classifier = default_classifier()
    nlp = classifier.pipelines["en"]
    first = "Where is my parcel? I ordered a ring two weeks ago and nothing has arrived yet."
    second = "Also, please delete my account and everything you have on me."
    doc = nlp(f"{first}\n\n{second}")
    ((part, score),) = classifier._scored_parts(nlp, doc, [(len(first) + 2, len(doc.text))])
    assert part.text == second
    assert [span.text for span in doc.spans["evidence"] if span.start >= part.start]  # a finding inside
    assert score["request"] == pytest.approx(nlp(second).cats["request"], abs=1e-6)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_searching_around_anchor_words_finds_what_searching_the_whole_mail_finds(language: str) -> None:
    nlp = default_classifier().pipelines[language]
    evidence = nlp.get_pipe("request_evidence")
    assert not evidence.windows.whole_doc  # every shipped rule has its anchor
    for _, read in read_split("dev"):
        doc = nlp(prepare(*read), disable=["request_detector", "kind_classifier"])
        assert sorted(evidence._matches(doc)) == sorted(evidence.matcher(doc))


def test_a_rule_without_an_anchor_makes_the_whole_mail_be_read() -> None:
    rules = RULES["nl"]
    anchors = choose_anchors(rules, Counter({"verwijder": 3, "mijn": 90}))
    assert not SearchWindows(rules, anchors).whole_doc
    del anchors[next(iter(anchors))]  # as when a rule is added and the model not trained again
    assert SearchWindows(rules, anchors).whole_doc


def test_a_mail_in_dutch_and_english_is_read_by_the_rules_of_both() -> None:
    assert (
        also_written_in("Please send me a copy of my data, en daarna graag mijn account verwijderen.", "en")
        == "nl"
    )
    assert also_written_in("Please send me a copy of my data. Kind regards, Jan de Vries", "en") is None
    # French shares "de", "en" and "je" with Dutch; it is read by the English pipeline alone
    assert (
        also_written_in("Je ne veux plus recevoir de newsletter, merci de me retirer de la liste.", "other")
        is None
    )


def test_hard_wrapped_lines_are_read_as_the_sentences_they_were_typed_as() -> None:
    body = (
        "Tot die zaak is afgerond wil ik dat u het gebruik van mijn\n"
        "persoonsgegevens beperkt tot wat nodig is voor dit onderzoek.\n\n"
        "Naam: Jan de Vries\nPostcode: 1234 AB\n- eerste punt\n- tweede punt"
    )
    text = prepare("Terugboeking", body)
    assert "van mijn persoonsgegevens beperkt" in text
    assert "Naam: Jan de Vries\nPostcode: 1234 AB\n- eerste punt\n- tweede punt" in text
    assert "restriction" in {str(item.kind) for item in classify("Terugboeking", body).evidence}


def test_the_classifier_reads_up_to_the_closing_and_a_postscript() -> None:
    body = (
        "Hello,\n\nDo you resize rings?\n\nBest wishes,\nFiona McAllister\nData Protection Officer\n"
        "Handling a subject access request? Our DPO team can help.\n\nP.S. Lovely shop!"
    )
    assert (
        prepare("Resizing", body)
        == "Resizing\n\nHello,\n\nDo you resize rings?\n\nBest wishes,\n\nP.S. Lovely shop!"
    )
    assert "Data Protection Officer" in own_text(body)  # the workflow still sees the name and address
    assert not classify("Resizing", body).is_request
    forwarded = (
        "See below.\n\nRegards\n\n---------- Forwarded message ---------\nFrom: a@b.nl\n\nDelete my data"
    )
    assert "Delete my data" in prepare("Fwd: no answer", forwarded)


def test_the_model_loads_from_the_package_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the classifier tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    classifier = RequestClassifier()
    assert classifier.classify("Inzageverzoek", "Graag inzage in mijn gegevens.").kinds


def test_training_is_reproducible(tmp_path: Path) -> None:
    examples = labelled_texts("train")[:60]
    train(examples, tmp_path / "one", epochs=3)
    train(examples, tmp_path / "two", epochs=3)
    for language in ("nl", "en"):
        for component in ("request_detector", "kind_classifier"):
            one = (tmp_path / "one" / language / component / "model").read_bytes()
            two = (tmp_path / "two" / language / component / "model").read_bytes()
            assert one == two
    trained = RequestClassifier(model_dir=tmp_path / "one")  # what train writes, the classifier loads
    assert trained.classify("", "Verwijder mijn account").language == "nl"


# Short sentences as customers write them. (text, kinds, language); kinds "" means: not a request.
SENTENCES = [
    # Dutch, access
    ("Ik wil graag inzage in mijn persoonsgegevens.", "access", "nl"),
    ("Welke gegevens hebben jullie van mij opgeslagen?", "access", "nl"),
    ("welke gegevns hebben jullie eigenlijk van mij??", "access", "nl"),
    ("Kunnen jullie mij een kopie van mijn gegevens sturen?", "access", "nl"),
    ("Ik wil weten wat jullie allemaal van mij weten", "access", "nl"),
    # Dutch, erasure
    ("Verwijder al mijn gegevens alsjeblieft", "erasure", "nl"),
    ("Ik wil dat mijn account wordt verwijderd.", "erasure", "nl"),
    ("hoi, kunnen jullie m'n account verwijderen? thx", "erasure", "nl"),
    ("verwijdert mijn gegevens aub", "erasure", "nl"),
    ("Graag mijn account opheffen", "erasure", "nl"),
    ("Kunnen jullie mijn account deleten?", "erasure", "nl"),  # everyday Dutch loanword
    # Dutch, the other rights
    ("Mijn adres is gewijzigd, kunnen jullie dat aanpassen?", "rectification", "nl"),
    ("Mijn achternaam is fout gespeld, graag corrigeren.", "rectification", "nl"),
    ("Ik wil me afmelden voor de nieuwsbrief", "objection", "nl"),
    ("Stuur me geen nieuwsbrief meer aub", "objection", "nl"),
    ("Ik maak bezwaar tegen het gebruik van mijn gegevens voor marketing.", "objection", "nl"),
    ("Kunnen jullie mijn gegevens tijdelijk niet meer gebruiken?", "restriction", "nl"),
    ("Ik wil mijn gegevens meenemen naar een andere webwinkel.", "portability", "nl"),
    # English
    ("Please send me a copy of my personal data.", "access", "en"),
    ("What data do you hold about me?", "access", "en"),
    ("I want to exercise my right of access.", "access", "en"),
    ("Please delete my account.", "erasure", "en"),
    ("pls remove my details from your system", "erasure", "en"),
    ("hey can u delete all my info", "erasure", "en"),
    ("Please erase everything you have on me.", "erasure", "en"),
    ("Can you update my address? I moved.", "rectification", "en"),
    ("Please stop sending me newsletters", "objection", "en"),
    ("Unsubscribe me from your marketing emails", "objection", "en"),
    ("I object to you using my data for marketing.", "objection", "en"),
    ("Please temporarily stop using my data while we sort out the refund.", "restriction", "en"),
    ("I'd like to transfer my data to another shop.", "portability", "en"),
    ("Can I get my data in a machine-readable format?", "portability", "en"),
    ("Please don't use my data for anything until the dispute is settled.", "restriction", "en"),
    ("Could you take my address off your mailing list?", "objection", "en"),
    # German and French: read by the English pipeline, answered in English
    ("Bitte löschen Sie mein Kundenkonto.", "erasure", "other"),
    ("Ich möchte keine Werbung mehr von Ihnen bekommen.", "objection", "other"),
    ("Je ne veux plus recevoir votre newsletter, merci.", "objection", "other"),
    ("Merci de supprimer mon compte et mes données.", "erasure", "other"),
    # Mixed
    ("Hi, kunnen jullie my account verwijderen? Thanks!", "erasure", "nl"),
    # Mixed: both languages' rules read the mail
    ("Please send me a copy of my data, en daarna graag mijn account verwijderen.", "access erasure", "en"),
    ("Ik wil graag mijn gegevens inzien, and please stop sending me newsletters.", "access objection", "nl"),
    # Not requests: orders, returns, payments, questions
    ("Waar blijft mijn bestelling MOM-10231?", "", "nl"),
    ("Ik wil mijn bestelling retourneren, de ring past niet.", "", "nl"),
    ("Wijzig mijn bestelling alsjeblieft: ik wil de ring in maat 54 in plaats van 56.", "", "nl"),
    ("Kan ik mijn bestelling nog wijzigen?", "", "nl"),
    ("Ik wil mijn bestelling annuleren.", "", "nl"),
    ("Hoe verwijder ik een artikel uit mijn winkelwagen?", "", "nl"),
    ("Stuur mij een kopie van mijn factuur.", "", "nl"),
    ("Ik ben mijn wachtwoord vergeten.", "", "nl"),
    ("Kunnen jullie de naam op de gravering aanpassen?", "", "nl"),  # a product question, not rectification
    ("Hoi! Is de ring ook in zilver verkrijgbaar? Thanks!", "", "nl"),
    ("Where is my order? It has been two weeks.", "", "en"),
    ("I'd like to return the earrings, they are too heavy.", "", "en"),
    ("Can I change my order to a smaller size?", "", "en"),
    ("Please cancel my order.", "", "en"),
    ("Please remove the engraving from my order.", "", "en"),
    ("Do you ship to Belgium?", "", "en"),
]


def _text(row: object) -> str:
    return str(getattr(row, "values", row)[0])[:50]  # type: ignore[index]


@pytest.mark.parametrize(("text", "kinds", "language"), SENTENCES, ids=[_text(row) for row in SENTENCES])
def test_short_sentence_kinds(text: str, kinds: str, language: str) -> None:
    classification = classify("", text)
    assert [str(kind) for kind in classification.kinds] == kinds.split()
    assert classification.is_request == bool(kinds)


@pytest.mark.parametrize(
    ("text", "kinds", "language"),
    [getattr(row, "values", row) for row in SENTENCES],  # the language of every sentence, marks or not
    ids=[_text(row) for row in SENTENCES],
)
def test_short_sentence_language(text: str, kinds: str, language: str) -> None:
    assert classify("", text).language == language


@pytest.mark.parametrize(
    ("subject", "body", "kinds"),
    [
        ("Inzageverzoek", "Zie onderwerp.\n\nGroet, Jan", "access"),
        ("Right to be forgotten", "Thanks.", "erasure"),
        ("Vraagje", "Graag een overzicht van mijn persoonsgegevens.", "access"),
        ("Re: Uw bestelling", "Top, dank!\n\n> Heeft u vragen over uw inzagerecht? Mail ons.", ""),
        # A reply's subject was written by the other side (here: us), like a quote.
        ("Re: Uw verzoek om inzage", "Dank u wel, alles goed ontvangen.", ""),
        ("AW: Ihr Auskunftsersuchen", "Vielen Dank, ist angekommen.", ""),
        ("Fwd: Inzageverzoek", "Zie hieronder, nog steeds geen antwoord.", "access"),
    ],
)
def test_the_subject_counts_and_quotes_do_not(subject: str, body: str, kinds: str) -> None:
    assert [str(kind) for kind in classify(subject, body).kinds] == kinds.split()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_rule_is_a_valid_spacy_matcher_pattern(language: str) -> None:
    import spacy
    from spacy.matcher import Matcher

    from classifiers.rules import RULES

    matcher = Matcher(spacy.blank(language).vocab, validate=True)
    for number, rule in enumerate(RULES[language]):
        matcher.add(f"{rule.label}:{number}", [rule.pattern])  # raises on a malformed pattern
    assert len(matcher) == len(RULES[language])
