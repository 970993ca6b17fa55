"""Structural candidates, the reading guards, the scorer's weights and the scoring of annotations.

Every note here is written for the test.
"""

from __future__ import annotations

import json

import pytest

from graph_data.candidates import STRUCTURES, WINDOW, file_candidates
from graph_data.catalog import load_catalog
from graph_data.evaluation import Instance, instance_key, lifted, reliability, score
from graph_data.extract import extract_relations, file_rows
from graph_data.linker import Linker
from graph_data.reader import split_passages
from graph_data.scorer import CLASSES, Scorer, ScorerError, load_scorer

CATALOG = load_catalog()
LINKER = Linker(CATALOG)


def sid(name: str) -> str:
    """Catalog id of a service name."""
    return CATALOG.resolve(name).id


def linked(text: str, file: str = "note.md"):
    return [LINKER.link(p) for p in split_passages(text, file)]


def structures(text: str) -> dict[frozenset[str], set[str]]:
    """Pair -> the structures that made a candidate of it."""
    out: dict[frozenset[str], set[str]] = {}
    for c in file_candidates(linked(text)):
        out.setdefault(c.pair, set()).add(c.structure)
    return out


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((sid(a), sid(b)))


def edges(text: str) -> set[tuple[str, str, str]]:
    return {(r.source, r.relation, r.target) for r in extract_relations(linked(text), CATALOG)}


def related(text: str, a: str, b: str) -> set[str]:
    """The relation types found between two services in a note."""
    x, y = sid(a), sid(b)
    return {rel for s, rel, t in edges(text) if {s, t} == {x, y}}


# --- one test per structure a candidate comes from


def test_sentence_pairs_services_named_together():
    assert "sentence" in structures("SNS pushes each message to SQS.")[pair("SNS", "SQS")]


def test_heading_pairs_services_of_a_vs_heading():
    assert "heading" in structures("# SQS vs SNS\n\nSome words.\n")[pair("SQS", "SNS")]


def test_subject_pairs_a_terse_bullet_with_its_heading():
    found = structures("# Lambda\n\n- Polls SQS for new work\n")
    assert found[pair("Lambda", "SQS")] == {"subject"}


def test_parent_pairs_a_list_under_a_label_with_the_label_owner():
    text = "- Kinesis Data Firehose destinations:\n  - Redshift\n  - OpenSearch\n"
    found = structures(text)
    assert "parent" in found[pair("Kinesis Data Firehose", "Redshift")]
    assert "parent" in found[pair("Kinesis Data Firehose", "OpenSearch")]


def test_a_label_line_before_a_list_passage_is_its_parent():
    text = "# Notes\n\nCloudTrail targets:\n\n- S3\n- CloudWatch Logs\n"
    found = structures(text)
    assert "parent" in found.get(pair("CloudTrail", "S3"), set())


def test_a_list_in_a_callout_is_read_as_the_same_list_under_a_heading():
    heading = "# Notes\n\n## CloudTrail targets\n\n- S3\n- CloudWatch Logs\n"
    callout = "# Notes\n\n> [!info]- CloudTrail targets\n> - S3\n> - CloudWatch Logs\n"
    assert structures(callout) == structures(heading)
    assert "subject" in structures(callout)[pair("CloudTrail", "CloudWatch Logs")]


def test_line_pairs_a_later_sentence_with_the_service_the_line_opened_with():
    found = structures("- ECR: stores images. It works with ECS.\n")
    assert "line" in found[pair("ECR", "ECS")]


def test_next_line_joins_lines_opened_by_a_connector():
    text = "Store the sessions in DynamoDB.\nInstead, ElastiCache keeps them in memory.\n"
    assert "next-line" in structures(text)[pair("DynamoDB", "ElastiCache")]
    plain = "Store the sessions in DynamoDB.\nElastiCache keeps them in memory.\n"
    assert pair("DynamoDB", "ElastiCache") not in structures(plain)


def test_next_sentence_joins_consecutive_sentences_of_a_line():
    text = "SNS cannot keep messages. Kinesis Data Streams is the right answer.\n"
    assert "next-sentence" in structures(text)[pair("SNS", "Kinesis Data Streams")]


def test_table_header_and_rows():
    text = "| | SQS | SNS |\n|---|---|---|\n| Lambda | polls | pushed to |\n"
    found = structures(text)
    assert "table-header" in found[pair("SQS", "SNS")]
    header_and_row = "| Service | Works with |\n|---|---|\n| Athena | S3 |\n"
    assert "table-row" in structures(header_and_row)[pair("Athena", "S3")]


def test_a_row_is_its_first_cell_s_service_with_the_items_under_each_column_s_header():
    text = "| Service | Works with |\n|---|---|\n| Athena | S3, Glue |\n"
    found = structures(text)
    assert "parent" in found[pair("Athena", "S3")]
    assert "parent" in found[pair("Athena", "Glue")]
    [candidate] = [
        c for c in file_candidates(linked(text)) if c.structure == "parent" and sid("S3") in c.pair
    ]
    assert candidate.context == "Athena Works with:"


def test_two_services_of_a_row_under_source_and_target_integrate_and_compare_nothing():
    text = "| Source | Target |\n|---|---|\n| S3 | Lambda |\n| Kinesis Data Streams | Lambda |\n"
    assert related(text, "S3", "Lambda") == {"integrates-with"}
    assert related(text, "S3", "Kinesis Data Streams") == set()


def test_every_structure_is_covered_above():
    named = {
        "sentence",
        "heading",
        "subject",
        "parent",
        "line",
        "next-line",
        "next-sentence",
        "table-header",
        "table-row",
    }
    assert named == set(STRUCTURES)


def test_one_endless_sentence_makes_a_linear_number_of_candidates():
    names = ["S3", "SQS", "SNS", "Lambda", "EC2", "RDS", "IAM", "KMS", "VPC", "EFS"]
    text = ", ".join(names * 300) + " work together."
    n = sum(len(lp.mentions) for lp in linked(text))
    assert len(file_candidates(linked(text))) <= WINDOW * n


# --- relations that hold up, and the known failure patterns


def test_relation_words_are_read():
    assert related("Amazon SNS integrates with Amazon SQS.", "SNS", "SQS") == {"integrates-with"}
    assert related("Amazon MQ is an alternative to SQS.", "MQ", "SQS") == {"alternative-to"}


def test_rename_is_replaces_new_over_old():
    found = edges("IAM Identity Center (formerly AWS Single Sign-On) manages access.")
    assert (sid("IAM Identity Center"), "replaces", sid("AWS Single Sign-On")) in found
    assert (sid("AWS Single Sign-On"), "replaces", sid("IAM Identity Center")) not in found


def test_enumeration_of_services_is_no_relation():
    text = "Users, roles, S3, SQS, SNS or Lambda can call the API."
    assert related(text, "S3", "SQS") == set()
    assert related(text, "SNS", "Lambda") == set()


def test_heading_subject_needs_the_line_to_be_about_it():
    text = "# S3\n\n- Athena integrates with Glue for its table definitions\n"
    assert related(text, "Athena", "Glue") == {"integrates-with"}
    assert related(text, "S3", "Athena") == set()


def test_replace_said_of_instances_is_not_a_service_replacing_another():
    text = "EC2 Auto Scaling replaces unhealthy instances behind the ELB."
    assert "replaces" not in related(text, "EC2 Auto Scaling", "ELB")


def test_is_a_type_of_is_not_integrates_with():
    text = "Glacier Deep Archive is a type of storage class, like S3 Standard-IA."
    assert "integrates-with" not in related(text, "Glacier Deep Archive", "S3 Standard-IA")


def test_negated_statement_states_nothing():
    text = "You cannot move a Lambda function into Elastic Beanstalk."
    assert related(text, "Lambda", "Elastic Beanstalk") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Bucket policies in S3 are similar to IAM policies.",
        "- SNS has topic policies (similar to SQS access policies)",
    ],
)
def test_similar_to_a_services_policies_is_no_alternative(text):
    first = "S3" if "S3" in text else "SNS"
    second = "IAM" if "IAM" in text else "SQS"
    assert "alternative-to" not in related(text, first, second)


def test_one_pair_on_one_line_gets_one_type():
    text = "SQS vs SNS: SNS pushes to SQS, or use SQS alone."
    rels = extract_relations(linked(text), CATALOG)
    per_line: dict[tuple, set[str]] = {}
    for r in rels:
        for e in r.evidence:
            per_line.setdefault((e.line, r.source, r.target), set()).add(r.relation)
    assert rels and all(len(v) == 1 for v in per_line.values())


def test_confidence_is_a_probability_and_evidence_names_its_structure():
    [r] = extract_relations(linked("Amazon SNS integrates with Amazon SQS."), CATALOG)
    assert 0.5 <= r.confidence < 1.0
    assert r.evidence[0].cue in STRUCTURES and r.evidence[0].line == 1


# --- the scorer's weights


def test_shipped_weights_load_and_give_probabilities():
    scorer = load_scorer()
    assert scorer.classes == CLASSES and len(scorer.coef) > 100
    _, rows = file_rows(linked("Amazon SNS integrates with Amazon SQS."), CATALOG)
    [row] = scorer.predict_proba(rows)
    assert abs(sum(row) - 1) < 1e-9 and max(row) == row[CLASSES.index("integrates-with")]


def test_weights_round_trip_and_refuse_another_version(tmp_path):
    scorer = load_scorer()
    path = tmp_path / "w.json"
    path.write_text(json.dumps(scorer.to_dict()))
    again = load_scorer(path)
    rows = [{"bias": 1.0, "s:subject": 1.0}]
    assert again.predict_proba(rows)[0] == pytest.approx(scorer.predict_proba(rows)[0], abs=1e-3)
    data = scorer.to_dict() | {"features_version": -1}
    with pytest.raises(ScorerError, match="features -1"):
        Scorer.from_dict(data)
    with pytest.raises(ScorerError, match="damaged"):
        Scorer.from_dict({"format": 1})


# --- scoring against annotations


def test_score_counts_explicit_recall_and_any_precision():
    gold = [
        Instance("a.md", 1, "s3", "integrates-with", "lambda", True, 0),
        Instance("a.md", 2, "sqs", "alternative-to", "sns", False, 1),
    ]
    found = {instance_key("a.md", 1, "integrates-with", "lambda", "s3")}
    found.add(instance_key("a.md", 2, "alternative-to", "sns", "sqs"))
    found.add(instance_key("a.md", 3, "integrates-with", "sns", "sqs"))
    s = score(gold, found)
    assert (s.right, s.found, s.explicit_found, s.explicit) == (2, 3, 1, 1)


def test_a_finding_about_a_part_matches_an_annotation_of_its_service():
    parents = {"glue-data-catalog": "glue"}
    key = instance_key("a.md", 1, "integrates-with", "athena", "glue-data-catalog")
    assert instance_key("a.md", 1, "integrates-with", "athena", "glue") in lifted(key, parents)
    gold = [Instance("a.md", 1, "athena", "integrates-with", "glue", True, 0)]
    assert score(gold, {key}).precision == 0.0
    assert score(gold, {key}, parents).precision == 1.0


def test_reliability_bins():
    table = reliability([(0.85, True), (0.82, False), (0.95, True)], edges=(0.0, 0.8, 0.9))
    assert table == [(0.0, 0.8, 0, 0.0), (0.8, 0.9, 2, 0.5), (0.9, 1.0, 1, 1.0)]


# --- training


def test_the_trainer_fits_a_calibrated_scorer_from_labelled_candidates():
    pytest.importorskip("sklearn", reason="the trainer needs the 'train' extra (scikit-learn)")
    from tools.train_extractor import Example, fit

    notes = {
        "a.md": "SNS integrates with SQS.\nSQS and Lambda are listed here.\n",
        "b.md": "Kinesis integrates with Lambda.\nS3 and EC2 are listed here.\n",
        "c.md": "EventBridge integrates with SNS.\nIAM and KMS are listed here.\n",
        "d.md": "API Gateway integrates with Lambda.\nECS and EKS are listed here.\n",
    }
    examples = []
    for file, text in notes.items():
        lps = linked(text, file)
        for c, row in zip(*file_rows(lps, CATALOG), strict=True):
            label = CLASSES.index("integrates-with") if "integrates" in c.text else 0
            examples.append(Example("dev", "author", c, row, label))
    scorer = fit(examples * 3, CATALOG)
    assert 0.5 <= scorer.temperature <= 3.0 and 0.2 <= scorer.threshold <= 0.9
    _, rows = file_rows(
        linked("Glue integrates with Athena.\nRDS and VPC are listed here.\n"), CATALOG
    )
    said, listed = scorer.predict_proba(rows)
    assert said.index(max(said)) == CLASSES.index("integrates-with")
    assert listed.index(max(listed)) == 0


def test_the_trainers_subject_rate_is_the_rate_the_fit_weighs():
    pytest.importorskip("sklearn", reason="the trainer needs the 'train' extra (scikit-learn)")
    from tools.train_extractor import Example, _subject_prior

    lps = linked("# Lambda\n\n- SQS\n- SNS\n- S3\n- KMS\n- Fargate\n", "n.md")
    subject = [c for c in file_candidates(lps) if c.structure == "subject"]
    assert len(subject) == 5
    rel, alt = CLASSES.index("integrates-with"), CLASSES.index("alternative-to")
    # An explicit integration (weight 1), an implicit one (0.3 in the fit), an explicit
    # alternative (its class weighs 3) and two "none".
    labels = [(rel, True), (rel, False), (alt, True), (0, False), (0, False)]
    examples = [
        Example("dev", "author", c, {}, y, explicit)
        for c, (y, explicit) in zip(subject, labels, strict=True)
    ]
    # Before: the plain share, 2 of 5.
    assert _subject_prior(examples) == pytest.approx(2 / 6.3, abs=1e-4)


def test_features_read_the_heading_and_the_words_just_after_a_mention():
    from graph_data.candidates import Candidate
    from graph_data.features import candidate_features

    text = "S3 object uploads start it, then many more words follow here"
    c = Candidate(
        "lambda", "s3", "n.md", 3, "subject", text, None, (0, 2), 1, heading="Event sources"
    )
    row = candidate_features(c)
    assert {"topic:hd:w:event", "topic:hd:w:sources"} <= set(row)
    after = sorted(f.removeprefix("topic:post:w:") for f in row if f.startswith("topic:post:w:"))
    # The first few words only: further on they belong to the next clause.
    assert after == ["it", "object", "start", "uploads"]


def test_a_note_named_after_a_service_is_about_it():
    text = "## General\n\n- Integrated with IAM and CloudTrail\n"
    assert related_in(text, "notes/kinesis.md", "Kinesis", "IAM") == {"integrates-with"}
    assert LINKER.link(split_passages(text, "notes/misc.md")[-1]).subject is None


def test_a_note_named_after_a_service_weighs_it_as_a_title_heading_would():
    body = "## Triggers\n\n- SQS\n- S3\n"
    untitled = file_candidates(linked(body, "vault/Lambda.md"))
    titled = file_candidates(linked("# Lambda\n\n" + body, "vault/n.md"))
    assert [(c.pair, c.share) for c in untitled] == [(c.pair, c.share) for c in titled]
    assert {c.share for c in untitled} == {1 / 3}


def related_in(text: str, file: str, a: str, b: str) -> set[str]:
    """The relation types found between two services in a note of the given file name."""
    x, y = sid(a), sid(b)
    found = extract_relations(linked(text, file), CATALOG)
    return {r.relation for r in found if {r.source, r.target} == {x, y}}


def test_a_dump_of_names_makes_no_candidates_and_units_are_checked_locally():
    row = "| " + " | ".join(["S3", "SQS", "SNS", "Lambda"] * 200) + " |\n|---|\n"
    assert file_candidates(linked(row)) == []
    # A two-letter name after a number is a unit; far from the number it is the service again.
    text = "1 EB " + "word " * 2000 + "S3"
    assert [m.service for lp in linked(text) for m in lp.mentions] == ["s3"]


def test_evidence_of_a_long_line_is_its_sentence_not_the_line():
    line = "Kinesis Data Streams feeds Lambda. " + "Words about nothing at all. " * 50
    [c] = [c for c in file_candidates(linked(line)) if c.structure == "sentence"]
    assert c.evidence == "Kinesis Data Streams feeds Lambda."


def test_a_pronoun_before_the_names_points_back_to_the_heading_one_after_does_not():
    before = "# SNS\n\n- It sends events to Lambda, which writes them to DynamoDB\n"
    assert related(before, "Lambda", "DynamoDB") == {"integrates-with"}
    assert related(before, "SNS", "Lambda") == {"integrates-with"}
    after = "# SNS\n\n- Lambda writes its results to DynamoDB\n"
    assert related(after, "Lambda", "DynamoDB") == {"integrates-with"}
    assert related(after, "SNS", "DynamoDB") == set()


def _contexts(text: str, file: str = "lambda.md") -> dict[tuple[int, frozenset[str]], str]:
    return {(c.line, c.pair): c.context for c in file_candidates(linked(text, file))}


def test_a_sentence_left_open_introduces_the_list_under_it():
    items = "\n".join(f"- {name}" for name in ("S3", "SNS", "Cognito"))
    text = (
        "# Lambda\n\nA function runs when it is triggered by events coming from\n\n"
        f"{items}\n\nThe console also has a test button next to SQS.\n"
    )
    contexts = _contexts(text)
    lead = "A function runs when it is triggered by events coming from"
    lam = sid("Lambda")
    for line, name in ((5, "S3"), (7, "Cognito")):
        assert contexts[(line, frozenset((lam, sid(name))))] == lead
    # The paragraph after the list is not an item of it.
    assert contexts[(9, frozenset((lam, sid("SQS"))))] == ""


def test_a_sentence_ending_in_can_be_introduces_the_numbered_list_under_it():
    text = "# SNS\n\nSubscribers can be\n\n1. SQS\n2. Lambda\n"
    contexts = _contexts(text, "sns.md")
    assert contexts[(5, frozenset((sid("SNS"), sid("SQS"))))] == "Subscribers can be"


def test_a_finished_sentence_introduces_nothing():
    text = "# Lambda\n\nA function runs on demand.\n\n- S3\n- SQS\n"
    assert set(_contexts(text).values()) == {""}


def test_a_tool_such_as_the_cli_is_linked_but_relates_to_nothing():
    text = "Use the AWS CLI to copy files to S3, then the Management Console to check them."
    passages = linked(text)
    assert {"aws-cli", "management-console", "s3"} <= {
        m.service for p in passages for m in p.mentions
    }
    assert not {s for s, _, t in edges(text) for s in (s, t)} & {"aws-cli", "management-console"}


def test_a_line_repeating_one_statement_gives_a_bounded_few_candidates_and_still_its_edge():
    from graph_data.candidates import PER_LINE_PAIR

    text = "- Kinesis Data Streams feeds Lambda. " + "Kinesis Data Streams feeds Lambda. " * 3000
    found = file_candidates(linked(text))
    by_structure: dict[str, int] = {}
    for c in found:
        by_structure[c.structure] = by_structure.get(c.structure, 0) + 1
    assert by_structure and max(by_structure.values()) == PER_LINE_PAIR
    assert edges(text) == {("kinesis-data-streams", "integrates-with", "lambda")}


def test_lines_of_a_sub_topic_are_not_about_the_heading_subject():
    # A monitoring section that lists other services, each with its own indented notes.
    text = (
        "# CloudWatch\n\n"
        "- Metrics every minute, alarms on them\n"
        "- X-Ray\n"
        "  - traces each request end to end\n"
        "  - its daemon must run on the hosts\n"
        "- EventBridge\n"
        "  - a bus that routes events to many targets\n"
    )
    assert related(text, "CloudWatch", "X-Ray") == set()
    assert related(text, "CloudWatch", "EventBridge") == set()
    flags = {c.second: c.layout for c in file_candidates(linked(text)) if c.structure == "subject"}
    assert flags[sid("X-Ray")] == "children"


def test_a_click_path_through_the_console_relates_nothing():
    from graph_data.extract import vetoed

    # Where a setting lives in the console, not how two services work together.
    text = "- To give it a role: EC2 → Instances → Actions → Security → Modify IAM role → Save\n"
    [c] = [c for c in file_candidates(linked(text)) if c.pair == pair("EC2", "IAM")]
    assert vetoed(c, "integrates-with")
    assert related(text, "EC2", "IAM") == set()
    # A step of the path is a place in the console even when the other service is named before.
    steps = "- Put an ALB in front of the app: EC2 → Load Balancers → Create load balancer\n"
    [s] = [c for c in file_candidates(linked(steps)) if c.pair == pair("ALB", "EC2")]
    assert vetoed(s, "integrates-with")
    # A pipeline drawn with arrows still states its links.
    pipeline = "- New object in S3 -> Lambda resizes it -> DynamoDB keeps the record\n"
    [p] = [c for c in file_candidates(linked(pipeline)) if c.pair == pair("S3", "Lambda")]
    assert not vetoed(p, "integrates-with")


def test_a_flow_drawn_with_arrows_relates_each_step_to_the_next():
    chain = "- Kinesis Data Streams → Kinesis Data Firehose → S3\n"
    assert related(chain, "Kinesis Data Streams", "Kinesis Data Firehose") == {"integrates-with"}
    assert related(chain, "Kinesis Data Firehose", "S3") == {"integrates-with"}
    assert related(chain, "Kinesis Data Streams", "S3") == set()
    fan_out = "# S3\n\n- object created -> SQS, SNS or Lambda\n"
    for target in ("SQS", "SNS", "Lambda"):
        assert related(fan_out, "S3", target) == {"integrates-with"}


def test_a_double_arrow_reads_as_so_and_joins_nothing():
    from graph_data.rules import find_relations

    verdicts = find_relations(linked("- SQS => Lambda can be slow to scale\n")[0])
    assert not [v for v in verdicts if v.evidence.cue == "=>"]


def test_a_table_with_a_service_on_each_row_compares_them():
    text = (
        "| Option | Transitive | Notes |\n|---|---|---|\n"
        "| VPC Peering | no | one to one |\n| Transit Gateway | yes | hub and spoke |\n"
    )
    assert related(text, "VPC Peering", "Transit Gateway") == {"alternative-to"}


def test_rows_that_each_pair_two_services_compare_nothing():
    text = "| Source | Target |\n|---|---|\n| S3 | Lambda |\n| SQS | Lambda |\n"
    assert related(text, "S3", "SQS") == set()
    assert related(text, "SQS", "Lambda") == {"integrates-with"}


def test_a_table_of_flows_compares_none_of_its_sources():
    text = "# Lambda\n\n| Source | Target |\n|---|---|\n| S3 | function |\n| SQS | function |\n"
    assert related(text, "S3", "SQS") == set()


def test_a_long_table_compares_each_service_once_and_a_dump_of_a_row_pairs_nothing():
    rows = "| SQS | pull |\n| SNS | push |\n" * 2000
    found = file_candidates(linked("| Option | Notes |\n|---|---|\n" + rows))
    assert len([c for c in found if c.structure == "table-header"]) == 1
    dump = "| Service | Works with |\n|---|---|\n| S3 | " + "Lambda, SQS, SNS | " * 200 + "\n"
    assert not [c for c in file_candidates(linked(dump)) if c.structure == "parent"]


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("- job longer than 15 min: a Fargate task or Batch instead\n", "Fargate", "Batch"),
        ("- ECS or EKS for the containers\n", "ECS", "EKS"),
    ],
)
def test_services_joined_by_or_are_options_not_partners(text, a, b):
    assert "integrates-with" not in related(text, a, b)


def test_a_dump_of_names_keeps_the_rules_verdicts_of_its_head():
    # A passage naming hundreds of services is a dump; the rules read its first names only.
    text = "SNS triggers Lambda. Then " + "S3, EC2, RDS, " * 200 + "and SQS.\n"
    candidates, rows = file_rows(linked(text), CATALOG)
    pair = {sid("SNS"), sid("Lambda")}
    [said] = [r for c, r in zip(candidates, rows, strict=True) if c.pair == pair]
    # Before: a passage of more than 400 names had no rule verdicts at all.
    assert said.get("rule:integrates-with")
