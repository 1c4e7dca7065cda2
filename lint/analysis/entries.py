"""The entries the analysis reads from a language pack — the one registry pack files are validated against —
and how their examples are run.

Each name is `section.entry`; its kind says what the pack file gives: a `pattern` (searched in folded text), a
word list (`terms`) or a `table`. A pack may leave an entry out (the feature it drives is then off for that
language) but may not define an entry this registry does not know (a misspelt name fails at load).
"""

from __future__ import annotations

from collections.abc import Callable

from lint.analysis.offer import GENRES
from lint.core.examples import ExampleFailure, mark, unmark
from lint.core.language import Entry, EntryKind, LanguagePack
from lint.core.normalize import fold
from lint.core.records import record


@record(frozen=True, slots=True)
class EntrySpec:
    """What an entry is and what the analysis does with it."""

    kind: EntryKind
    help: str


def _specs(section: str, kind: EntryKind, **helps: str) -> dict[str, EntrySpec]:
    return {f"{section}.{name}": EntrySpec(kind, text) for name, text in helps.items()}


ENTRIES: dict[str, EntrySpec] = {
    **_specs(
        "document",
        "pattern",
        numbered="a list-item number at the start of a line",
        sentence_end="the punctuation that ends a sentence",
        clause_break="the punctuation that ends a clause inside a sentence",
        heading_end="punctuation at the end of a line that makes it body text, not a heading",
        body_stop="a character that makes a short line body text, not a heading",
        reference_heading="a line that opens the reference list",
        reference_end="a line that closes the reference list (disclaimer, copyright, related reading)",
    ),
    **_specs(
        "scopes",
        "pattern",
        negator="a negator just before a trigger",
        strong_negation="a denial anywhere earlier in the clause",
        negation_after="a denial right after a trigger",
        question_word="a question word earlier in the clause",
        other_treatment="another treatment the clause talks about",
        comparator="a comparison word just before another treatment",
        subject="the promoted therapy named as the subject",
        critic_lead="a critic's frame just before a quoted claim",
        critic_sentence="a sentence that criticises what it quotes",
        hedge="a possibility before the trigger in its clause",
        aspiration="what is still needed, earlier in the clause",
        clause_break="what ends a clause for negation and questions",
        question_after="a question word after the trigger in its clause",
        question_block="a line that is the asker's part of a Q&A",
        embedded_question="an indirect question whose answer is deferred",
        critic_tail="a rejection right after a quoted claim or a chain of them",
        refers_back="a sentence opening that refers back to the previous sentence",
        chain_separator="what may stand between two quotations of one chain",
        hedge_frame="a frame that governs the rest of its sentence",
        hedge_after="a prospect named after the trigger",
        sourced="a checkable source named in the sentence",
        attribution="a claim attributed to researchers, authors or a report",
        cited_source="what makes a title mark a cited source",
    ),
    **_specs(
        "scopes",
        "terms",
        open_quotes="opening quotation marks",
        close_quotes="closing quotation marks",
        title_open="opening marks of a cited title",
        title_close="closing marks of a cited title",
    ),
    **_specs("genre", "table", min_markers="the markers each genre needs"),
    **_specs(
        "genre",
        "pattern",
        **{f"{genre}_title": f"a title marker of the {genre} genre" for genre in GENRES if genre != "marketing"},
        **{f"{genre}_body": f"a body marker of the {genre} genre" for genre in GENRES},
    ),
    **_specs(
        "disclaimers",
        "pattern",
        accept="a medical disclaimer or an instruction to see one's own doctor",
        not_disclaimer="what looks like a disclaimer but is not (a sales call to action, an investment notice)",
    ),
    **_specs(
        "offer",
        "pattern",
        provider="the page speaking as the seller or provider",
        brand="a trademarked brand or product name",
        named_method="a named method or programme the page introduces as its own",
        products="health products and services a page can promote",
        health_topic="words that make a text discuss a health product or treatment",
    ),
    **_specs(
        "claims",
        "terms",
        subjects="the promoted therapy or product a claim is about",
        predicates="verbs that assert a clinical effect, followed by an outcome",
        adverbs="adverbs between an outcome and its verb",
        conjunctions="words that join one outcome to the next",
        intensifiers="adverbs joined to predicates",
        outcomes="clinical outcomes a predicate acts on",
        passive_predicates="verbs after the outcome",
        evaluations="evaluative words for an effect",
        effect_nouns="nouns an evaluation qualifies",
        effect_heads="effect nouns an evaluation can follow",
        differences="words that make an evaluation a comparison of groups, not a claim",
        comparatives="comparative verbs",
        comparators="other treatments a comparative claim must name",
        benefit_leads="verbs that introduce a benefit noun",
        benefits="nouns that present a therapy as a benefit",
        proofs="verbs that present a result as proof",
        proof_tails="what a proof verb must reach",
        hedges="words that hedge a claim",
        not_hedges="phrases holding a hedge word that strengthen the claim",
        mechanisms="molecular or cellular actors of a mechanism statement",
        study_references="phrases that point back at studies the article describes",
        vague_authority="vague appeals to research, which back nothing",
        stops="tokens a claim pattern does not reach across",
        soft_stops="tokens a verb-object claim does not reach across",
        additive="negator-like words that add rather than deny",
        attributive="the particle that makes a verb phrase a modifier",
        fused="verb-object words that are claims by themselves (降糖, 祛湿)",
        fused_heads="nouns after which a fused word names a product, not a claim",
        product_subjects="products, ingredients, devices and procedures promoted copy sells",
        directions="direction verbs of a quantified benefit",
        units="units of a quantified benefit",
        rate_heads="rates that present efficacy (有效率)",
        effect_verbs="what a time-to-effect claim says happens",
        lasting="words that promise a lasting effect",
        background="figures about a population or the field, not the product",
        not_benefit="figures about price, dose or specification",
        other_subjects="other treatments a claim can be about",
        modals="what comes before a claim verb that alone is a noun or a label",
        modal_predicates="claim verbs that only claim after a modal",
        raising="verbs that make something more",
        lowering="verbs that make something less",
        adverse="adverse effects",
        combined="words that join another treatment to the promoted one",
        nominal_heads="nouns that make a verb phrase before them the name of a mechanism",
        nominal_links="particles that may stand between a verb phrase and the mechanism noun it names",
        means="words that introduce how something works",
        forward_hedges="framings that govern the rest of the sentence",
    ),
    **_specs(
        "claims",
        "pattern",
        trial_report="the vocabulary of a trial report (arms, endpoints, p values, subgroups)",
        source_line="a line that gives the source of what precedes it (来源：…)",
        negation_after="a denial after the claim in its clause (与…无关)",
        negation="a negation just before a claim word",
        safety="a safety claim",
        number="a figure, Arabic or Chinese",
        quantified="a quantified benefit",
        rate="an efficacy rate with its figure",
        comparison="a superiority claim against another treatment or an average",
        time_to_effect="how soon an effect comes",
        permanence="a lasting or permanent effect",
        capability="breadth of indication",
        recognition="efficacy presented as acclaimed",
        synergy="a claim that the product makes another treatment work better",
        modal_lead="a modal right before a claim word",
        product_nouns="how the names of products and services end",
        attribution="words that attribute a quoted claim to someone else",
        prospect_headings="section headings under which claims are prospects",
        condition_ends="how the names of conditions end",
        function_ends="how the names of functions and capacities end",
    ),
    **_specs(
        "outcomes",
        "terms",
        ageing="outcomes of ageing and longevity",
        organs="organs and tissues a care verb acts on (保护心脏, 修复胃黏膜)",
        blood="outcomes of blood and haematology",
        cancer="outcomes of cancer",
        cardiovascular="outcomes of the heart and blood vessels",
        children="outcomes of children's growth and development",
        digestive="outcomes of digestion and the gut",
        energy="outcomes of energy, fatigue and vitality",
        ent="outcomes of ear, nose and throat",
        eye="outcomes of the eyes and vision",
        hair="outcomes of hair, scalp and nails",
        immunity="outcomes of immunity and allergy",
        infectious="outcomes of infections",
        kidney="outcomes of the kidneys and urinary tract",
        lab_values="lab values and check-up results",
        liver="outcomes of the liver, gall bladder and pancreas",
        metabolic="outcomes of metabolism and the endocrine glands",
        mood="outcomes of mood, stress and cognition",
        musculoskeletal="outcomes of bones, joints and muscles",
        nervous="outcomes of the nervous system",
        oral="outcomes of the mouth and teeth",
        pseudo="pseudo-physiology that marketing treats as an outcome (toxins, acidity)",
        respiratory="outcomes of the lungs and airways",
        sexual="outcomes of sexual and reproductive health",
        skin="outcomes of the skin and appearance",
        sleep="outcomes of sleep",
        tcm="states and syndromes of traditional Chinese medicine",
        weight="outcomes of weight and body shape",
        womens="outcomes of women's health",
    ),
    **_specs(
        "evidence",
        "pattern",
        study_heading="a heading that opens a study block",
        study_label="a labelled study paragraph",
        source_after_verb="a source named after a publication verb, without title marks",
        study_sentence="a sentence that introduces a study",
        continuation="a line that continues the current study block",
        summary_of_many="a summary over several studies, which ends a study block",
        section_break="a heading that ends a study block",
        subheading="a numbered sub-heading or figure/table label inside a study block",
        safety_data="adverse-event data a study reports",
        source_in_title="a journal named in title marks",
        source_before_word="a journal named before the word for journal",
        names_journal="what makes a titled source a journal",
        published_after="words after a source that say it published the study",
        year="a year",
        count="the number of participants",
        entry_number="the number of a reference entry",
        link_line="a reference-list line that is only a link or DOI",
        presented_as_journal="a source presented as a journal publication",
        conclusion="a conclusion or proof word",
        consistent_with_preclinical="a human result said to agree with an animal or cell result",
        vague_source="a journal named as a label of prestige, not as a source",
        authors="who did a study: authors or a named institution",
        trial_name="a named trial (an acronym)",
        extrapolation="a result carried over to people",
        honest_abstract="a source said to be an abstract or poster",
        report="a published report of cases",
        single_patient="a single patient",
        mass_dose="a dose in mass units",
        pill_dose="a dose in pills or sachets",
        preclinical_study="a sentence that describes an animal or in-vitro experiment",
        study_dose="what a study tested that a product does not deliver",
        transfer="a product said to do what a study's drug or dose did",
    ),
    **_specs(
        "evidence",
        "terms",
        published_before="the word before a title that says it is the venue",
        model_label="words that keep a statement about the model organism or the cells",
        inflation="words that inflate a source",
        trial_word="a word for a study or trial",
    ),
    **_specs(
        "evidence",
        "pattern",
        proof_appeal="an appeal to science as proof that names no study",
    ),
    **_specs("evidence", "table", journals="journal names as copy writes them → the names reference lists use"),
    **_specs(
        "facts",
        "pattern",
        randomized="randomised design",
        double_blind="double blinding",
        placebo="placebo or sham control",
        controlled="a control group",
        open_label="open-label design",
        single_arm="single-arm or self-controlled design",
        phase_i="phase I",
        phase_i_ii="phase I/II",
        pilot="pilot or feasibility study",
        case_series="case series, case report, compassionate use",
        review="review, meta-analysis, consensus",
        preclinical="animal, cell or in-vitro work",
        conference="conference abstract or poster",
        uncontrolled="a study said to have no control group",
        arms="a second arm described (a control, placebo or comparison group)",
    ),
    **_specs(
        "citations",
        "pattern",
        marker="a numbered citation marker ([3], ①, ²)",
        doi="a DOI",
        pmid="a PubMed id or link",
        registry="a trial-registry id",
        url="a URL",
        author_year="an author-year citation",
    ),
    **_specs(
        "results",
        "pattern",
        number="a numeral (Arabic or written out)",
        value="an arm's figure",
        versus="two figures compared (75% vs 83%)",
        relative_lead="words that make a figure a relative effect between arms",
        ci="a 95% confidence interval with its bounds",
        ratio_word="a ratio measure (HR, RR, OR …), whose null value is 1",
        estimate="a ratio with no confidence interval",
        p_value="a P value with its operator",
        p_null_words="a P value said in words to miss the threshold",
        null_markers="a null or non-significant result",
        baseline="a comparison at baseline, which is no result",
        positive_markers="a significant result",
        trend_markers="a non-significant difference described as a direction",
        futility_markers="a trial stopped for futility",
        harm_markers="the treatment arm did worse",
        early_stop="the trial ended early",
        lower_is_better="an outcome where a lower figure is better",
        higher_is_better="an outcome where a higher figure is better",
        limit_lead="words that make a figure a target or limit",
    ),
    **_specs(
        "results",
        "terms",
        worsening="change words that say a score got worse",
        decrease="change words that say a figure went down",
        figure_hint="what a sentence with arm figures must hold",
        definition="a definition, which is no claim",
    ),
    **_specs(
        "trials",
        "pattern",
        named_trial="a trial named by an acronym or product name",
        registry_id="a trial registry number",
        counted_trial="a trial introduced by its size or design",
        release="an announcement of a trial's results",
        planned="a trial still to come",
        design_negator="a negation just before a design word",
        safety_primary="a primary aim of safety or tolerability",
        uncontrolled="the trial has no control group",
        letter_arm="a bare letter or ordinal arm name",
        randomized_to="the treatment a design sentence randomises to",
        english_arm="an English arm label",
        role_primary="the primary endpoint",
        role_secondary="a secondary endpoint",
        role_exploratory="an exploratory or post-hoc analysis",
        role_subgroup="a subgroup result",
        role_safety="a safety result",
        non_primary_opener="an opener that moves away from the primary result",
        between_group="words that compare the arms with each other",
    ),
    **_specs(
        "trials",
        "terms",
        trial_words="words without which a document holds no trial report",
        not_trial_names="acronyms that are no trial names",
        arm_suffixes="what an arm label ends in",
        arm_stops="words an arm label does not reach back across",
        not_arms="labels that are no arms",
        arm_descriptors="descriptions of an arm that a label takes in (…的一组)",
        arm_verbs="what an arm received, said before its product",
        not_arm_after="characters after 组 that make it no arm label",
        control_words="words that make an arm a control arm",
        english_stops="English words that are not part of an arm label",
        respectively="figures listed in the order the arms were defined",
        surrogates="laboratory, imaging or physiological measures",
        clinical_outcomes="outcomes that matter to patients",
        hard_outcomes="events, survival and ageing a surrogate cannot show",
    ),
    **_specs(
        "spin",
        "pattern",
        clause_break="where a claim clause ends inside a sentence",
        conclusion_lead="words that draw a conclusion",
        generalizing="a capability or generalisation about the therapy",
        modal="a modal of the claim's own",
        hedge="a hedge that qualifies its clause and the subjectless clauses after it",
        trial_success="a claim that the trial succeeded",
        capability="a capability claimed for the therapy",
        safety_claim="a conclusion of safety",
        effect_size="an effect size presented as the result",
        mechanism_claim="a mechanism or repair presented as an outcome",
        evidence_claim="a result called proof, or an effect called obvious",
        benefit_claim="a therapy called a benefit or protector",
        superiority="a claim that the therapy beats something",
        comparator="what follows a superiority word",
        time_point="a time point of a result",
        universal="a summary that all studies proved the therapy works",
        within_group="a within-group change from baseline",
        concession="a concession before a contrary claim",
        null_dismissed="what a dismissed null result is said not to mean",
        contrast="a word that turns from a null result to a contrary claim",
        negation="a denial before a claim",
        caveat="an honest qualification of a result",
        result_reference="a clause pointing back at the result just reported",
        attributive_head="a claim phrase that only modifies the noun it ends in",
        summary_label="a label that opens a summary",
        quantity="a figure or a quantity in words",
        distance="a critic's or reporter's distance from a claim",
        stop_reframe="an early stop presented as an achievement",
        parity="an equal or non-inferior comparison",
        ns_harm_safety="no difference in harms read as proof of safety",
        unmeasured_outcome="a clinical outcome claimed in a conclusion",
        conclusion="what marks a conclusion sentence",
        harm_as_benefit="an adverse effect reframed as a sign of efficacy",
    ),
    **_specs("spin", "terms", therapy_words="words that name the promoted treatment in a claim"),
    **_specs("numerals", "table", digits="digit characters → values", units="unit characters → multipliers"),
    **_specs(
        "fixes",
        "pattern",
        before_noun="after the span: a noun phrase follows (a modifier replacement reads well)",
        before_de="after the span: the attributive particle follows",
        clause_end="after the span: the clause ends (a predicate replacement reads well)",
        predicate_blocker="before the span: an adverb after which a predicate replacement does not read",
    ),
    **_specs("fixes", "terms", particle="structural particles, which a replacement must not double"),
}


VOCABULARY_SECTIONS: dict[str, str] = {
    "slots": "shared noun slots that the marketing constructions fill",
    "hype": "hype that inflates a therapy's value (overclaim)",
    "absolute": "absolute and superlative advertising terms (absolute_term)",
    "cure": "promises of cure, reversal, lasting result or guaranteed outcome (cure_or_guarantee)",
    "safety": "absolute or unqualified safety, comfort and compatibility (safety_overclaim)",
    "fear": "threats of disease, death, disability, stigma or appearance anxiety (fear_appeal)",
    "testimonial": "patient, customer, expert, celebrity and state endorsement (testimonial)",
    "inducement": "sales urgency and inducements (outside the ten categories)",
}
"""Sections of word lists and constructions that rules name (kind `phrase`): any entry name is allowed in them, a
`pattern` or `terms`, so that a rule's vocabulary is data alone."""


def spec_of(name: str) -> EntrySpec | None:
    """What entry `name` is: its registered spec, a vocabulary-section entry, or None when no section has it."""
    if name in ENTRIES:
        return ENTRIES[name]
    section = name.split(".", 1)[0]
    if section in VOCABULARY_SECTIONS and "." in name:
        return EntrySpec("pattern", VOCABULARY_SECTIONS[section])
    return None


def check_entry(pack: LanguagePack, name: str) -> list[ExampleFailure]:
    """Run the examples of entry `name`: each `flag` example must match (at exactly the marked spans, when
    marked), each `pass` example must not match. Table entries are checked by their consumer."""
    entry = pack.entries[name]
    if entry.kind == "table":
        checker = TABLE_CHECKS.get(name)
        return checker(pack, entry) if checker else []
    pattern = pack.pattern(name).compiled
    failures: list[ExampleFailure] = []
    for example in entry.examples.flag:
        text, marked = unmark(example)
        found = [m.span() for m in pattern.finditer(fold(text)) if m.end() > m.start()]
        if (marked and found != marked) or not found:
            expected = f"a match at {mark(text, marked)}" if marked else "a match"
            failures.append(_failure(entry, example, expected, mark(text, found) if found else "none"))
    for example in entry.examples.passing:
        found = [m.span() for m in pattern.finditer(fold(example)) if m.end() > m.start()]
        if found:
            failures.append(_failure(entry, example, "no match", mark(example, found)))
    return failures


def _failure(entry: Entry, example: str, expected: str, found: str) -> ExampleFailure:
    return ExampleFailure(entry.name, entry.path, entry.line, example, expected, found)


def _table_examples(
    convert: Callable[[LanguagePack, str], tuple[str, ...]],
) -> Callable[[LanguagePack, Entry], list[ExampleFailure]]:
    """A checker for examples written `input => expected`: for `flag` ones the consumer must give the expected
    value (among those it gives), for `pass` ones it must not."""

    def check(pack: LanguagePack, entry: Entry) -> list[ExampleFailure]:
        failures = []
        for example, wanted in [(e, True) for e in entry.examples.flag] + [(e, False) for e in entry.examples.passing]:
            given, _, expected = (part.strip() for part in example.partition("=>"))
            found = convert(pack, fold(given))
            if (fold(expected) in found) != wanted:
                failures.append(_failure(entry, example, ("" if wanted else "not ") + repr(expected), repr(found)))
        return failures

    return check


def _number(pack: LanguagePack, text: str) -> tuple[str, ...]:
    from lint.analysis.numerals import parse_number

    return (f"{parse_number(pack, text):g}",)


def _journal(pack: LanguagePack, text: str) -> tuple[str, ...]:
    from lint.analysis.evidence import journal_names

    return journal_names(pack, text)


TABLE_CHECKS: dict[str, Callable[[LanguagePack, Entry], list[ExampleFailure]]] = {
    "numerals.digits": _table_examples(_number),
    "numerals.units": _table_examples(_number),
    "evidence.journals": _table_examples(_journal),
}
