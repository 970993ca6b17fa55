"""The entity linker on sentences written for these tests, and on the user's notes."""

from __future__ import annotations

import itertools

import pytest

from graph_data.catalog import load_catalog
from graph_data.linker import Linker, link_passages
from graph_data.records import Passage

CATALOG = load_catalog()
LINKER = Linker(CATALOG)


def found(text: str) -> list[str]:
    """Service ids found in ``text``, in order."""
    return [m.service for m in LINKER.find(text)]


def surfaces(text: str) -> list[str]:
    """The written names found in ``text``, in order."""
    return [m.surface for m in LINKER.find(text)]


# --- the shape of the output


def test_mentions_point_at_their_words_in_order_without_overlap():
    text = "Put an ALB in front of EC2 instances, log to CloudWatch Logs, archive in Glacier."
    mentions = LINKER.find(text)
    assert [m.service for m in mentions] == [
        "application-load-balancer",
        "ec2",
        "cloudwatch-logs",
        "s3-glacier",
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_empty_and_serviceless_text():
    assert LINKER.find("") == []
    assert LINKER.find("Nothing here but plain words, numbers 42 and dashes - -") == []


# --- plurals, longest match, prefixes, spelling variants


@pytest.mark.parametrize(
    ("text", "sid", "surface"),
    [
        ("the fleet has three EC2 instances", "ec2", "EC2 instances"),
        ("we put two NAT Gateways in place", "nat-gateway", "NAT Gateways"),
        ("open port 22 in the Security Groups", "security-group", "Security Groups"),
        ("bake custom AMIs first", "ami", "AMIs"),
        ("small Lambdas glue it together", "lambda", "Lambdas"),
        ("two ALBs share a certificate", "application-load-balancer", "ALBs"),
        ("one DynamoDB Global Table per region", "dynamodb-global-tables", "DynamoDB Global Table"),
    ],
)
def test_plurals_and_singulars(text, sid, surface):
    assert [(m.service, m.surface) for m in LINKER.find(text)] == [(sid, surface)]


@pytest.mark.parametrize(
    ("text", "sid"),
    [
        ("Kinesis Data Firehose delivers the batches", "kinesis-data-firehose"),
        ("old logs move to S3 Glacier Deep Archive", "s3-glacier-deep-archive"),
        ("ElastiCache for Redis keeps sessions", "elasticache-redis"),
        ("Aurora Serverless scales to zero", "aurora-serverless"),
        ("DynamoDB Streams feed the function", "dynamodb-streams"),
        ("EC2 Instance Store is lost on stop", "ec2-instance-store"),
    ],
)
def test_the_longest_name_wins(text, sid):
    assert found(text) == [sid]


def test_the_family_and_its_member_both_count_when_both_are_written():
    assert found("Kinesis Data Streams, part of Kinesis") == ["kinesis-data-streams", "kinesis"]


@pytest.mark.parametrize(
    "text", ["Amazon DynamoDB stores it", "AWS DynamoDB stores it", "DynamoDB stores it"]
)
def test_the_prefix_is_optional_and_kept_in_the_surface(text):
    (m,) = LINKER.find(text)
    assert m.service == "dynamodb" and m.surface == text.split(" stores")[0]


def test_a_prefixed_alias_does_not_make_its_remainder_a_name():
    # "AWS IoT" names IoT Core; "IoT" alone is the general idea.
    assert found("AWS IoT talks MQTT") == ["iot-core"]
    assert found("cheap IoT sensors send readings") == []


@pytest.mark.parametrize(
    ("text", "sid"),
    [
        ("an Auto-scaling group replaces bad hosts", "ec2-auto-scaling"),
        ("the auto scaling group keeps four hosts", "ec2-auto-scaling"),
        ("Route53 answers with an alias record", "route-53"),
        ("Cloud Watch shows the graph", "cloudwatch"),
        ("Elastic Cache in front of the database", "elasticache"),
        ("Elasticache in front of the database", "elasticache"),
        ("the X Ray daemon", "x-ray"),
        ("Cloud Formation stacks", "cloudformation"),
        ("rotate keys with secrets mgr", "secrets-manager"),
        ("values live in the param store", "parameter-store"),
        ("DDB streams wake the consumer", "dynamodb-streams"),
    ],
)
def test_spacing_hyphen_and_case_variants(text, sid):
    assert found(text) == [sid]


# --- abbreviations


def test_abbreviations_match_in_their_written_case():
    assert found("Send it to SNS, encrypt with KMS, log in with SSO") == ["sns", "kms", "aws-sso"]


@pytest.mark.parametrize(
    "text",
    [
        "the alb and the elb in lower case",
        "an ace up the sleeve",
        "more ram for the build box",
        "my kms of running this week",
        "a sso typo",
    ],
)
def test_abbreviations_in_other_cases_are_words(text):
    assert found(text) == []


def test_abbreviations_with_no_other_meaning_match_in_lower_case():
    # Students type "s3" and "sqs" in lower case; no English word is spelt so.
    assert found("copy it to s3, queue it in sqs, run it on ec2 behind a vpc") == [
        "s3",
        "sqs",
        "ec2",
        "vpc",
    ]


def test_a_two_letter_capital_word_after_a_number_is_a_unit():
    assert found("a truck holds 100 PB and 1 EB is a thousand of them") == []
    assert found("Traffic goes over DX to the VPC") == ["direct-connect", "vpc"]


# --- names that are also English words


@pytest.mark.parametrize(
    ("text", "sid"),
    [
        ("AWS Config records every change", "config"),
        ("write Config rules for the tags", "config"),
        ("Amazon Glue crawls the bucket", "glue"),
        ("a Glue job turns CSV into Parquet", "glue"),
        ("Batch will start Spot Instances for the jobs", "batch"),
        ("run it on AWS Batch nightly", "batch"),
        ("Shield Advanced covers the distribution", "shield"),
        ("put Shield and WAF in front of the site", "shield"),
        ("AWS Backup copies the volumes", "backup"),
        ("Amazon Inspector scans the hosts", "inspector"),
        ("ship a Snowball device back to AWS", "snowball"),
        ("Amazon Connect runs the call centre", "connect"),
        ("Amazon Detective graphs the findings", "detective"),
        ("download reports from AWS Artifact", "artifact"),
        ("AWS Budgets emails the team", "budgets"),
        ("AWS Organizations groups the accounts", "organizations"),
        ("AWS Outposts racks in our building", "outposts"),
        ("Amazon Pinpoint sends the campaign", "pinpoint"),
        ("Amazon Forecast predicts demand", "forecast"),
        ("Amazon Personalize ranks products", "personalize"),
        ("Amazon Translate turns it into French", "translate"),
        ("Amazon Comprehend finds the sentiment", "comprehend"),
    ],
)
def test_english_word_names_in_service_context(text, sid):
    assert sid in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "edit the config file before the run",
        "Store the Config file in the repo",
        "glue the pieces together",
        "send a batch of records at a time",
        "Batch processing suits the night shift",
        "shield your app from bad input",
        "back up the data and keep a backup",
        "Backup and Restore is the slowest plan",
        "the inspector signed the report",
        "connect to the instance over SSH",
        "Connect to the instance over SSH",
        "sign in with OpenID Connect",
        "a snowball effect on the bill",
        "a detective story",
        "the build artifact is a zip",
        "the budget is tight this month",
        "the organizations we work for",
        "remote outposts of the company",
        "pinpoint the failing host",
        "forecast next month's load",
        "personalize the greeting",
        "translate the page",
        "hard to comprehend at first",
    ],
)
def test_ordinary_words_never_become_services(text):
    common = {sid for sid in CATALOG if CATALOG[sid].common_word}
    assert not set(found(text)) & common, LINKER.find(text)


def test_every_english_word_name_counts_with_its_prefix_and_never_in_lower_case():
    for sid in CATALOG:
        service = CATALOG[sid]
        if not service.common_word:
            continue
        prefix = service.name.split()[0] if service.name.split()[0] in ("AWS", "Amazon") else "AWS"
        assert sid in found(f"we tried {prefix} {service.short} last week"), sid
        assert found(f"we tried {service.short.lower()} last week") == [], sid


def test_a_one_word_cut_of_a_name_needs_its_family_nearby():
    # "On-Demand" is EC2's purchase option only beside EC2 or its siblings.
    assert "on-demand-instances" in found("mix On-Demand and Spot Instances in one group")
    assert "on-demand-instances" not in found("pick On-Demand capacity for the table")
    passage = Passage("n.md", 1, 1, ("EC2", "Pricing"), "1. On-Demand\n2. Savings")
    assert "on-demand-instances" in LINKER.link(passage).services
    assert "on-demand-instances" in found("pay On-Demand Instances by the second")


# --- names that count only in context


def in_context(text: str, *heading: str) -> list[str]:
    """Service ids linked in a one-passage note under ``heading``."""
    lp = LINKER.link(Passage("n.md", 1, 1, heading, text))
    return [m.service for m in lp.mentions]


def test_a_pre_signed_url_belongs_to_the_family_its_note_is_about():
    text = "hand the user a pre-signed URL that expires in an hour"
    assert in_context(text, "S3", "Sharing objects") == ["s3-presigned-url"]
    assert in_context(text, "CloudFront", "Private content") == ["cloudfront-signed-url"]
    # The nearest heading wins; with no heading, the nearest name in the passage.
    assert in_context(text, "S3", "CloudFront origins") == ["cloudfront-signed-url"]
    assert found("CloudFront checks a signed URL first") == ["cloudfront", "cloudfront-signed-url"]
    assert found("hand out a pre-signed URL") == ["s3-presigned-url"]  # S3's by default


def test_run_command_in_lower_case_is_not_systems_manager():
    assert found("docker run command flags are long") == []
    assert in_context("the run command starts the container", "Docker", "CLI") == []
    assert found("Run Command patches the fleet") == ["run-command"]
    assert in_context("use run command on every host", "Systems Manager") == ["run-command"]
    assert in_context("use run command on every host", "SSM") == ["run-command"]


def test_nat_alone_needs_a_vpc_around():
    assert in_context("containers reach the outside through NAT", "Docker", "Networking") == []
    assert found("the bridge network does NAT for the containers") == []
    assert in_context("private hosts go out through NAT", "VPC", "Subnets") == ["nat-gateway"]
    assert found("two NAT Gateways, one per zone") == ["nat-gateway"]


def test_fifo_alone_is_the_queue_or_topic_kind_its_note_is_about():
    assert in_context("FIFO keeps the order", "SQS", "Queue types") == ["sqs-fifo"]
    assert in_context("FIFO keeps the order", "SNS", "Topic types") == ["sns-fifo"]
    assert found("FIFO keeps the order of the stack") == []
    assert found("use a FIFO queue") == ["sqs-fifo"]


def test_es_is_opensearch_only_beside_opensearch_or_elasticsearch():
    assert in_context("ES indexes the logs", "OpenSearch") == ["opensearch"]
    assert found("Elasticsearch holds the index; ES shards it") == ["opensearch", "opensearch"]
    assert found("ES modules load in the browser") == []
    assert found("Amazon ES keeps the logs") == ["opensearch"]


def test_an_abbreviation_in_a_list_of_services_is_the_service_it_abbreviates():
    assert found("Firehose loads S3 / Redshift / ES") == [
        "kinesis-data-firehose",
        "s3",
        "redshift",
        "opensearch",
    ]
    assert found("delivers to S3, ES or Splunk") == ["s3", "opensearch"]
    assert found("the ES module and S3 buckets") == ["s3"]  # beside a service, not in a list
    # Only abbreviations: "Multi-AZ" listed with services is still the generic idea.
    assert found("ELB, Multi-AZ, Auto Scaling") == ["elastic-load-balancing", "ec2-auto-scaling"]


def test_multi_az_and_lower_case_read_replicas_need_rds_around():
    assert found("EFS is Multi-AZ by design") == ["efs"]
    assert in_context("Multi-AZ keeps a standby", "RDS") == ["rds-multi-az"]
    assert in_context("read replicas take the reads", "RDS") == ["rds-read-replicas"]
    assert found("read replicas take the reads") == []


def test_names_written_as_one_word_slash_lists_and_possessives():
    assert found("start a StepFunction run") == ["step-functions"]
    assert found("export with DataPipeline") == ["data-pipeline"]
    assert found("fan out to SNS/SQS/Lambda") == ["sns", "sqs", "lambda"]
    assert found("the key lives at aws/lambda") == []
    assert found("allow the CLB's security group") == ["classic-load-balancer", "security-group"]
    assert found("S3 Bucket Policies and Key Policies") == ["bucket-policy", "kms-key-policy"]


def test_everyday_phrases_of_new_service_names_are_not_services():
    assert found("parallel computing and machine learning on a budget") == []
    assert found("entity resolution and supply chain planning") == []
    assert found("AWS Parallel Computing Service runs Slurm") == ["parallel-computing-service"]
    assert found("Amazon Machine Learning was retired") == ["machine-learning"]


def test_names_from_botocore_link():
    assert found("Amazon Kinesis Analytics reads the stream") == ["kinesis-data-analytics"]
    assert found("Route 53 Resolver forwards the queries") == ["route-53-resolver"]
    assert found("DX Gateway reaches VPCs in two Regions") == ["direct-connect-gateway", "vpc"]
    assert found("AWS Signer signs the code") == ["signer"]
    assert found("the signer of the letter") == []


# --- coordinated names


def test_coordinated_names_share_their_head():
    assert found("Application and Classic Load Balancers") == [
        "application-load-balancer",
        "classic-load-balancer",
    ]
    # "Gateway" here ends another name: no Gateway Load Balancer.
    assert found("API Gateway and Application Load Balancer") == [
        "api-gateway",
        "application-load-balancer",
    ]


# --- what is not prose


@pytest.mark.parametrize(
    "text",
    [
        "read https://docs.aws.amazon.com/lambda/latest/dg/welcome.html first",
        "see aws.amazon.com/ec2/pricing for prices",
        "allow s3:GetObject and dynamodb:PutItem",
        "the role arn:aws:iam::123456789012:role/lambda-exec",
        "ssh ec2-user@10.0.0.5",
        "write to ops@example.com",
    ],
)
def test_urls_actions_and_addresses_are_skipped(text):
    assert found(text) == []


def test_a_link_text_counts_once_and_its_anchor_not_at_all():
    assert surfaces("- [Elastic Beanstalk](#aws-elastic-beanstalk)") == ["Elastic Beanstalk"]
    assert found("see [the overview](#ebs-volumes-and-efs)") == []


# --- subjects and linking passages


@pytest.mark.parametrize(
    ("heading", "subject"),
    [
        (("Containers", "ECR"), "ecr"),
        (("Containers", "ECR", "Pricing"), "ecr"),
        (("Storage", "S3", "EBS vs EFS"), "s3"),
        (("Storage", "EBS vs EFS"), None),
        (("Week 3", "Notes"), None),
        (("Compute", "EC2 Nitro"), "nitro"),
        (("Analytics", "Kinesis", "Kinesis Data Firehose"), "kinesis-data-firehose"),
        ((), None),
    ],
)
def test_subject_is_the_deepest_heading_naming_one_service(heading, subject):
    assert LINKER.subject_of(heading) == subject


@pytest.mark.parametrize(
    "heading",
    [
        ("Section 7: EC2 Instance Storage", "Security groups for ELB"),
        ("Lambda", "Pairing SQS with SNS"),
    ],
)
def test_a_heading_naming_other_services_leaves_its_section_without_a_subject(heading):
    # Before: the section's service, so every line under "Security groups for ELB" was paired
    # with EC2's instance store.
    assert LINKER.subject_of(heading) is None


def test_a_terse_bullet_is_about_its_heading():
    p = Passage("notes.md", 10, 10, ("Containers", "ECR"), "- Fully wired into IAM & ECS")
    lp = LINKER.link(p)
    assert lp.passage is p
    assert lp.subject == "ecr"
    assert lp.services == ("iam", "ecs")
    assert lp.context == ("ecr",)


def test_context_lists_every_heading_service_shallowest_first():
    p = Passage("n.md", 1, 1, ("VPC", "NAT Gateway vs NAT Instance"), "pick one")
    lp = LINKER.link(p)
    assert lp.context == ("vpc", "nat-gateway", "nat-instance")
    assert lp.subject == "vpc" and lp.mentions == ()


def test_link_passages_uses_one_linker_for_all():
    passages = [
        Passage("a.md", 1, 1, ("SQS",), "Consumers poll SQS"),
        Passage("a.md", 3, 3, ("SNS",), "SNS fans out to SQS"),
    ]
    linked = link_passages(passages)
    assert [lp.services for lp in linked] == [("sqs",), ("sns", "sqs")]
    assert [lp.subject for lp in linked] == ["sqs", "sns"]
    assert link_passages(passages, CATALOG) == linked
    assert link_passages([]) == []


# --- the user's notes


@pytest.mark.notes
def test_the_notes_link_without_ordinary_words_becoming_services(shared_notes):
    from graph_data.reader import read_notes

    passages = read_notes(shared_notes).passages
    linked = link_passages(passages, CATALOG)
    per_file: dict[str, set[str]] = {}
    for lp in linked:
        per_file.setdefault(lp.passage.file, set()).update(lp.services)
        for m in lp.mentions:
            if CATALOG[m.service].common_word:
                # An English-word name counts only capitalised or behind its prefix.
                assert m.surface[:1].isupper(), (lp.passage.file, lp.passage.line, m)
    assert len(per_file) == 5
    assert all(len(ids) >= 40 for ids in per_file.values())
    assert all({"ec2", "s3", "iam"} <= ids for ids in per_file.values())


# --- names said without their family's name, in that family's context


@pytest.mark.parametrize(
    ("text", "heading", "want"),
    [
        (
            "data streams can feed the delivery stream",
            "Kinesis Data Firehose",
            "kinesis-data-streams",
        ),
        ("Producer Library batches the records", "Kinesis Data Streams", "kpl"),
        ("Performance Insights shows the slow queries", "RDS", "rds-performance-insights"),
        (
            "Flexible Retrieval takes minutes to hours",
            "S3 Glacier",
            "s3-glacier-flexible-retrieval",
        ),
    ],
)
def test_a_name_without_its_family_name_links_under_a_family_heading(text, heading, want):
    assert want in in_context(text, heading)


def test_a_family_tail_names_nothing_away_from_its_family():
    # Under another service's heading "data streams" is the plain English phrase.
    assert in_context("data streams arrive from the sensors", "IoT Core") == []
    assert in_context("Performance Insights of the team", "Onboarding") == []


def test_a_singular_one_word_tail_never_links_on_its_own():
    # "Gateway", "Standard" and "Security" are said of far too much else to stand for a part.
    assert in_context("The Gateway forwards the call", "Networking") == []
    assert in_context("Standard retrieval takes hours", "S3") == []


def test_cf_is_cloudfront_or_cloudformation_by_the_heading_and_nothing_without_one():
    assert in_context("CF templates are written in YAML", "CloudFormation") == ["cloudformation"]
    assert in_context("CF caches objects at the edge", "CloudFront") == ["cloudfront"]
    assert in_context("CF is quick to learn", "Tips") == []


def test_eb_is_beanstalk_or_eventbridge_by_the_heading_and_nothing_without_one():
    assert in_context("EB deploys the app to a new environment", "Elastic Beanstalk") == [
        "elastic-beanstalk"
    ]
    assert in_context("an EB rule starts the job", "EventBridge") == ["eventbridge"]
    assert in_context("EB is quick to learn", "Tips") == []


@pytest.mark.parametrize("word", ["EB", "EC", "EF", "SN", "RD", "St", "eb", "rd"])
def test_a_short_word_is_not_the_plural_of_an_abbreviation(word):
    # "EBS" minus its "S" is no name: the plural rule is for names such as "Global Table".
    assert found(f"see {word} for more") == []
    assert found("one DynamoDB Global Table per region") == ["dynamodb-global-tables"]


@pytest.mark.parametrize(
    ("text", "sid"),
    [
        ("R53 alias records", "route-53"),
        ("calls go through API GW first", "api-gateway"),
        ("an APIGW stage", "api-gateway"),
        ("the CFN stack failed", "cloudformation"),
        ("ship it to CW Logs", "cloudwatch-logs"),
    ],
)
def test_shorthands_students_write_link(text, sid):
    assert found(text) == [sid]


def test_a_bare_vpn_is_the_site_to_site_vpn_unless_client_vpn_is_the_topic():
    assert found("Set up a VPN over the internet to the VPC") == ["site-to-site-vpn", "vpc"]
    assert in_context("the VPN authenticates each laptop", "Client VPN") == ["client-vpn"]


def test_elemental_products_and_es_clusters_link_by_the_names_people_write():
    assert found("MediaPackage and MediaStore as origins") == [
        "elemental-mediapackage",
        "elemental-mediastore",
    ]
    assert found("deliver into an ES cluster") == ["opensearch"]
    assert found("ES is two letters") == []


# --- long texts


def test_a_context_bound_form_is_read_from_the_names_near_it_not_from_far_away():
    assert found("CloudFront, S3 and CF") == ["cloudfront", "s3", "cloudfront"]
    # Forty names later, CloudFormation is no longer the context of "CF".
    far = "CloudFormation, " + ", ".join(["S3", "SQS", "SNS", "Lambda", "EC2"] * 8) + " and CF"
    assert found(far).count("cloudformation") == 1


def test_a_page_of_context_bound_forms_links_every_one_of_them():
    text = "CF in front of CloudFront, S3 / Redshift / ES. " * 20_000
    names = found(text)
    assert names.count("cloudfront") == 40_000 and names.count("opensearch") == 20_000


def test_a_line_longer_than_a_scan_piece_links_as_its_sentences_do():
    sentences = [
        "Kinesis Data Streams feeds Lambda",
        "Amazon S3 Glacier Deep Archive keeps backups",
        "an Application Load Balancer in front of EC2 Auto Scaling",
        "SQS FIFO queues; SNS topics",
    ]
    line = ". ".join(sentences * 2_000)
    assert len(line) > 4 * 32_768
    alone = [found(s) for s in sentences]
    assert found(line) == [sid for _ in range(2_000) for names in alone for sid in names]


def test_packed_mentions_read_like_the_records_they_hold():
    from graph_data.records import Mention, Mentions

    records = [
        Mention("sns", 0, 3, "SNS"),
        Mention("sqs", 8, 11, "SQS"),
        Mention("sns", 20, 23, "sns"),
    ]
    packed = Mentions(records)
    assert list(packed) == records and packed == records and len(packed) == 3
    assert packed[-1] == records[-1] and list(packed[1:]) == records[1:]
    assert list(packed[::2]) == records[::2]
    with pytest.raises(IndexError):
        packed[3]
    line = packed.shifted(8).starting(0, 10)
    assert [(m.service, m.start) for m in line] == [("sqs", 0)]
    assert Mentions.from_arrays(*packed[1:].shifted(8).arrays()) == [
        Mention("sqs", 0, 3, "SQS"),
        Mention("sns", 12, 15, "sns"),
    ]
    assert hash(packed) == hash(tuple(records)) and packed.ordered
    assert not Mentions(records[::-1]).ordered


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # Spelled out in brackets as something else: the note's own abbreviation.
        ("Mapping templates are written in Velocity Template Language (VTL).", False),
        ("Back up tapes to a Virtual Tape Library (VTL) in the cloud.", True),
        ("A VTL keeps the tapes.", True),
        ("A Dead Letter Queue (DLQ) holds the failures.", True),
    ],
)
def test_an_abbreviation_the_note_spells_out_as_something_else_is_not_the_service(text, kept):
    words = [w.strip("().") for w in text.split()]
    abbreviation = next(w for w in words if len(w) == 3 and w.isupper())
    assert (abbreviation in surfaces(text)) is kept
