"""Relation extraction: one test per cue family, negations, direction, headings, tables, merging."""

from __future__ import annotations

import pytest

from graph_data.catalog import load_catalog
from graph_data.extract import extract_relations, merge_findings
from graph_data.linker import Linker
from graph_data.reader import split_passages
from graph_data.rules import find_relations

CATALOG = load_catalog()
LINKER = Linker(CATALOG)
FAMILIES = CATALOG.families()


def sid(name: str) -> str:
    """Catalog id of a service name, so tests read in names."""
    return CATALOG.resolve(name).id


def relations(text: str, file: str = "note.md"):
    """Extract from a note written in the test."""
    linked = [LINKER.link(p) for p in split_passages(text, file)]
    return extract_relations(linked, CATALOG)


def triples(text: str) -> set[tuple[str, str, str]]:
    """(source, relation, target) of every relation in ``text``."""
    return {(r.source, r.relation, r.target) for r in relations(text)}


def has(text: str, a: str, rel: str, b: str) -> bool:
    """Whether ``text`` yields ``a rel b`` (either direction for the undirected relations)."""
    x, y = sid(a), sid(b)
    found = triples(text)
    if rel == "replaces":
        return (x, rel, y) in found
    return (min(x, y), rel, max(x, y)) in found


def rule_pairs(text: str) -> set[tuple[frozenset[str], str]]:
    """({a, b}, relation) of every verdict of the cue rules (before the scorer)."""
    linked = [LINKER.link(p) for p in split_passages(text, "note.md")]
    found = (find_relations(lp, FAMILIES, CATALOG.variants()) for lp in linked)
    return {(frozenset((v.source, v.target)), v.relation) for vs in found for v in vs}


def pair(a: str, b: str) -> frozenset[str]:
    """Two services, by name, as an unordered pair of ids."""
    return frozenset((sid(a), sid(b)))


@pytest.mark.parametrize(
    "sentence",
    [
        "Amazon SNS integrates with Amazon SQS for durable fan-out.",
        "Step Functions has a direct integration with DynamoDB.",
        "An upload to S3 triggers a Lambda function that makes thumbnails.",
        "API Gateway invokes the Lambda function for every request.",
        "CloudTrail sends its log files to an S3 bucket.",
        "Put CloudFront in front of the Application Load Balancer to cache pages.",
        "Kinesis Data Firehose streams the records into Redshift.",
        "Each RDS instance is backed by EBS volumes.",
        "Use Kinesis Data Streams as the event source for the Lambda consumer.",
        "Athena works with data stored in S3 without loading it.",
    ],
)
def test_integration_cues(sentence):
    found = relations(sentence)
    assert [r.relation for r in found] == ["integrates-with"], found


@pytest.mark.parametrize(
    ("sentence", "verb"),
    [
        ("CloudTrail events can be passed to CloudWatch in near real time.", "passed"),
        ("The rows of DynamoDB are copied to S3 each night.", "copied"),
        ("Kinesis Data Firehose records are dumped into Redshift.", "dumped"),
    ],
)
def test_verbs_that_move_data_to_a_service_are_integration_cues(sentence, verb):
    linked = [LINKER.link(p) for p in split_passages(sentence, "note.md")]
    cues = [
        v.evidence.cue for lp in linked for v in find_relations(lp, FAMILIES, CATALOG.variants())
    ]
    assert any(c.lower().startswith(verb) for c in cues), cues


def test_the_last_item_of_a_list_closed_by_a_comma_and_is_a_partner_too():
    text = "RDS integrates with Amazon CloudWatch, Amazon EventBridge, and AWS CloudTrail."
    assert (pair("RDS", "CloudTrail"), "integrates-with") in rule_pairs(text)
    # Without a list before it, ", and" still ends the clause.
    text = "SNS pushes to SQS, and Lambda polls it."
    assert (pair("SNS", "Lambda"), "integrates-with") not in rule_pairs(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "SNS cannot be used for streaming like Kinesis Data Streams.",
        "DynamoDB does not integrate with Redshift Spectrum directly.",
        "Services on the exam: S3, EC2, RDS, DynamoDB and VPC.",
    ],
)
def test_negations_and_bare_lists_are_not_integrations(sentence):
    assert not [r for r in relations(sentence) if r.relation == "integrates-with"]


def test_vs_sentence_and_heading():
    assert has("Quick recap: SQS vs SNS for decoupling.", "SQS", "alternative-to", "SNS")
    text = "# EBS vs EFS vs S3\n\nPick by access pattern.\n"
    for a, b in [("EBS", "EFS"), ("EBS", "S3"), ("EFS", "S3")]:
        assert has(text, a, "alternative-to", b), (a, b)


def test_a_vs_compares_its_operands_not_the_notes_subject():
    # The operands of "vs" here are delivery channels, not services: SNS is compared to nothing.
    text = "# SNS\n\nEach subscriber picks a channel: HTTPS vs Lambda vs mobile push.\n"
    assert not has(text, "SNS", "alternative-to", "Lambda")
    # A bare "vs" opening the clause does take the note's subject.
    text = "# Lambda\n\nvs EC2: nothing to patch, billed per call.\n"
    assert has(text, "Lambda", "alternative-to", "EC2")
    # Nor does an attribute of the subject name something else.
    text = "# Kinesis Data Streams\n\n- real time delivery vs Firehose (buffered)\n"
    assert has(text, "Kinesis Data Streams", "alternative-to", "Kinesis Data Firehose")
    # A service past the end of the operand is not compared.
    text = "Deploy to ECS vs on-premises servers => IAM holds the deploy rights.\n"
    assert not has(text, "ECS", "alternative-to", "IAM")
    assert has("Lambda functions vs EC2 instances, in short.", "Lambda", "alternative-to", "EC2")
    # Nor is a service long before it, whatever stands between.
    far = "Lambda bills each call by the millisecond " + "and charges nothing while idle " * 4
    assert (pair("Lambda", "EC2"), "alternative-to") not in rule_pairs(far + "vs EC2 by the hour")
    # A word that starts with the letters is no "vs".
    assert not has(
        "SMS moves vSphere machines to EC2.", "Server Migration Service", "alternative-to", "EC2"
    )


def test_a_comparison_with_a_thing_is_no_alternative_to_the_subject():
    text = "# Step Functions\n\n- runs Batch jobs that check each sample compared to a reference\n"
    assert not has(text, "Step Functions", "alternative-to", "Batch")
    text = "# Kinesis Data Streams\n\n- for messages kept longer, use SQS instead of it.\n"
    assert has(text, "Kinesis Data Streams", "alternative-to", "SQS")


def test_a_sentence_opening_on_instead_of_compares_with_what_it_goes_on_to_choose():
    text = "# EC2\n\nInstead of Elastic IPs, use Route 53 to hand out the addresses.\n"
    found = rule_pairs(text)
    assert (pair("Elastic IP", "Route 53"), "alternative-to") in found
    assert (pair("EC2", "Elastic IP"), "alternative-to") not in found


def test_a_comparison_cue_compares_nothing_across_its_clause():
    # The service before the semicolon is not one side of "instead of": the note's subject is.
    text = "# SQS\n\n- consumers poll from Lambda; instead of SNS push, messages wait here.\n"
    found = rule_pairs(text)
    assert (pair("SQS", "SNS"), "alternative-to") in found
    assert (pair("Lambda", "SNS"), "alternative-to") not in found
    # Nor is a service far before the cue in a long clause.
    far = "# SQS\n\n- Lambda reads the queue " + "and keeps on reading " * 6
    assert (pair("Lambda", "SNS"), "alternative-to") not in rule_pairs(far + "instead of SNS\n")
    # A service just before the cue is still its left side.
    assert has("Pick SQS instead of SNS for buffering.", "SQS", "alternative-to", "SNS")


def test_a_verb_with_an_object_and_a_partner_relates_those_two():
    text = (
        "# Elastic Load Balancing\n\n- you can integrate the ALB with AWS WAF to filter requests\n"
    )
    assert rule_pairs(text) == {(pair("Application Load Balancer", "WAF"), "integrates-with")}
    # The services after "integrates with" are each the subject's partner, not each other's.
    text = "# Step Functions\n\n- integrates with Lambda and DynamoDB\n"
    assert rule_pairs(text) == {
        (pair("Step Functions", "Lambda"), "integrates-with"),
        (pair("Step Functions", "DynamoDB"), "integrates-with"),
    }


def test_alternative_phrases():
    assert has(
        "Amazon MQ is an alternative to SQS for legacy protocols.", "MQ", "alternative-to", "SQS"
    )
    assert has(
        "Use Route 53 instead of Elastic IPs for failover.",
        "Route 53",
        "alternative-to",
        "Elastic IP",
    )
    text = "DAX is the right fit for microsecond reads. ElastiCache could also be a solution."
    assert has(text, "ElastiCache", "alternative-to", "DAX")


def test_exam_answer_rejects_one_service_for_another():
    text = (
        "SQS will not keep the records for replay. SNS cannot store messages at all. "
        "Kinesis Data Streams is the right answer because it retains the stream."
    )
    assert has(text, "SQS", "alternative-to", "Kinesis Data Streams")
    assert has(text, "SNS", "alternative-to", "Kinesis Data Streams")


def test_replaces_is_directed_successor_to_retired():
    assert has(
        "IAM Identity Center replaces AWS Single Sign-On.",
        "IAM Identity Center",
        "replaces",
        "AWS Single Sign-On",
    )
    assert not has(
        "IAM Identity Center replaces AWS Single Sign-On.",
        "AWS Single Sign-On",
        "replaces",
        "IAM Identity Center",
    )
    passive = "Launch Configurations are replaced by Launch Templates."
    assert has(passive, "Launch Template", "replaces", "Launch Configuration")
    assert not has(passive, "Launch Configuration", "replaces", "Launch Template")
    plural = "ALB and NLB replace the Classic Load Balancer."
    assert has(plural, "Network Load Balancer", "replaces", "Classic Load Balancer")
    assert not relations("Macie is not a replacement for GuardDuty.")
    assert has(
        "# Cognito Sync\n\n- Deprecated (use AppSync now)\n", "AppSync", "replaces", "Cognito Sync"
    )


@pytest.mark.parametrize(
    ("text", "successor", "retired"),
    [
        (
            "- launch config = the old way. Launch template replaces it",
            "Launch Template",
            "Launch Configuration",
        ),
        ("- SSO got renamed -> IAM Identity Center", "IAM Identity Center", "AWS Single Sign-On"),
        (
            "IAM Identity Center (it used to be called AWS SSO) is the answer.",
            "IAM Identity Center",
            "AWS Single Sign-On",
        ),
        ("- cloudwatch events = eventbridge now", "EventBridge", "CloudWatch Events"),
    ],
    ids=["replaces-it", "renamed-arrow", "used-to-be-called", "equals-now"],
)
def test_terse_renames_and_a_successor_replacing_it(text, successor, retired):
    assert has(text, successor, "replaces", retired)
    assert not has(text, retired, "replaces", successor)


def test_subject_comes_from_heading_for_terse_bullets():
    text = "# ECR\n\n- Fully integrated with IAM and ECS\n"
    assert has(text, "ECR", "integrates-with", "IAM")
    assert has(text, "ECR", "integrates-with", "ECS")
    assert not has(text, "IAM", "integrates-with", "ECS")


def test_comparison_table_header_cells_are_alternatives():
    text = "| | SQS | SNS | Kinesis Data Streams |\n|---|---|---|---|\n| model | pull | push |"
    assert has(text, "SQS", "alternative-to", "SNS")
    assert has(text, "SNS", "alternative-to", "Kinesis Data Streams")


def test_same_relation_in_several_places_is_one_edge_with_more_evidence():
    text = "SNS integrates with SQS.\n\nLater: SNS pushes messages to SQS queues.\n"
    [edge] = relations(text)
    assert len(edge.evidence) == 2
    assert [e.line for e in edge.evidence] == [1, 3]
    single = relations("SNS integrates with SQS.")[0]
    assert edge.confidence > single.confidence


def test_part_and_whole_are_not_related():
    assert not relations(
        "Elastic Load Balancing offers the Application Load Balancer type with ELB."
    )


def test_merge_findings_keeps_the_strongest_evidence_per_line():
    from graph_data.extract import Finding
    from graph_data.records import Evidence

    weak = Finding("a", "integrates-with", "b", Evidence("n.md", 1, "t", "with", 0.4))
    strong = Finding("a", "integrates-with", "b", Evidence("n.md", 1, "t", "integrates", 0.8))
    [r] = merge_findings([weak, strong])
    assert r.evidence[0].cue == "integrates" and r.confidence == 0.8


@pytest.mark.notes
def test_evidence_points_at_real_lines_naming_both_services(shared_notes):
    """Every relation on the real notes cites a line that exists and names both services."""
    from graph_data.reader import read_notes

    read = read_notes(shared_notes)
    linked = [LINKER.link(p) for p in read.passages]
    found = extract_relations(linked, CATALOG)
    assert len(found) > 50
    lines = {f.path: (shared_notes / f.path).read_text("utf-8").splitlines() for f in read.files}
    by_line = {
        (lp.passage.file, n): {m.service for m in lp.mentions if lp.passage.line_at(m.start) == n}
        | {lp.subject}
        for lp in linked
        for n in range(lp.passage.line, lp.passage.end_line + 1)
    }
    for r in found:
        for e in r.evidence:
            assert 1 <= e.line <= len(lines[e.file])
            named = by_line.get((e.file, e.line), set())
            assert r.source in named or r.target in named, (r, e)


def test_contrast_with_not_and_rejection_in_the_answer_sentence():
    assert has("For shared files think EFS and FSx, not S3.", "EFS", "alternative-to", "S3")
    text = (
        "S3 pre-signed URLs would skip the cache, therefore we should use CloudFront Signed URLs."
    )
    assert has(text, "S3 Pre-Signed URL", "alternative-to", "CloudFront Signed URL")


def test_coordinated_names_share_their_head():
    from graph_data.linker import Linker

    found = [m.service for m in Linker(CATALOG).find("Application and Classic Load Balancers")]
    assert found == ["application-load-balancer", "classic-load-balancer"]


def test_services_behind_wikilink_aliases_are_read_by_their_pages():
    text = "# Workflows\n\n[[Step Functions|sfn]] invokes [[AWS Lambda|λ]] for each step.\n"
    assert has(text, "Step Functions", "integrates-with", "Lambda")
