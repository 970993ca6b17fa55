"""The service catalog: its shipped data, its validation and its name look-ups."""

from __future__ import annotations

import importlib.util
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from graph_data.catalog import CatalogError, UnknownService, load_catalog, validate
from graph_data.style import CATEGORY_COLORS

REPO = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()


def shipped() -> dict:
    """The catalog data exactly as the package ships it."""
    text = resources.files("graph_data").joinpath("data/catalog.json").read_text("utf-8")
    return json.loads(text)


def entry(sid: str, **fields) -> dict:
    """A minimal valid catalog entry for hand-made catalogs."""
    base = {"id": sid, "name": f"Thing {sid}", "short": sid.upper(), "aliases": []}
    return {**base, "category": "Compute", **fields}


# --- the shipped data


def test_the_data_is_package_data_and_valid():
    assert resources.files("graph_data").joinpath("data/catalog.json").is_file()
    assert validate(shipped()) == []


def test_it_is_large_enough():
    # Every service of botocore's list plus the building blocks students write about.
    assert len(CATALOG) >= 450


def test_ids_are_unique_lowercase_slugs():
    ids = [s["id"] for s in shipped()["services"]]
    assert len(ids) == len(set(ids))
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i)]
    assert bad == []


def test_every_category_has_a_colour_and_every_parent_exists():
    assert {s.category for s in CATALOG.services.values()} <= set(CATEGORY_COLORS)
    orphans = [s.id for s in CATALOG.services.values() if s.parent and s.parent not in CATALOG]
    assert orphans == []


def test_no_entry_is_its_own_ancestor():
    for sid in CATALOG:
        seen, node = {sid}, CATALOG[sid].parent
        while node:
            assert node not in seen, f"parent cycle through {sid}"
            seen.add(node)
            node = CATALOG[node].parent


def test_short_names_drop_the_amazon_and_aws_prefix():
    # Four shorts keep it on purpose: "Q" alone is no name, the retired "AWS Single Sign-On"
    # must not read as the general idea of single sign-on, and a bare "CLI" or "SDK" is as often
    # another tool's (the SAM CLI, the Chime SDK).
    prefixed = {s.id for s in CATALOG.services.values() if re.match(r"(Amazon|AWS) ", s.short)}
    assert prefixed == {"q", "aws-sso", "aws-cli", "aws-sdks"}


def test_descriptions_are_one_line_of_our_own():
    for s in CATALOG.services.values():
        assert s.description and "\n" not in s.description and len(s.description) < 120, s.id


@pytest.mark.parametrize(
    ("name", "sid", "parent"),
    [
        ("Application Load Balancer", "application-load-balancer", "elastic-load-balancing"),
        ("Network Load Balancer", "network-load-balancer", "elastic-load-balancing"),
        ("Gateway Load Balancer", "gateway-load-balancer", "elastic-load-balancing"),
        ("Classic Load Balancer", "classic-load-balancer", "elastic-load-balancing"),
        ("Kinesis Data Streams", "kinesis-data-streams", "kinesis"),
        ("Kinesis Data Firehose", "kinesis-data-firehose", "kinesis"),
        ("Kinesis Data Analytics", "kinesis-data-analytics", "kinesis"),
        ("Kinesis Video Streams", "kinesis-video-streams", "kinesis"),
        ("Cognito User Pools", "cognito-user-pools", "cognito"),
        ("Cognito Identity Pools", "cognito-identity-pools", "cognito"),
        ("S3 Glacier Instant Retrieval", "s3-glacier-instant-retrieval", "s3-glacier"),
        ("S3 Glacier Flexible Retrieval", "s3-glacier-flexible-retrieval", "s3-glacier"),
        ("S3 Glacier Deep Archive", "s3-glacier-deep-archive", "s3-glacier"),
        ("S3 Glacier", "s3-glacier", "s3"),
        ("ElastiCache for Redis", "elasticache-redis", "elasticache"),
        ("ElastiCache for Memcached", "elasticache-memcached", "elasticache"),
        ("Aurora Serverless", "aurora-serverless", "aurora"),
        ("DynamoDB Streams", "dynamodb-streams", "dynamodb"),
        ("Launch Template", "launch-template", "ec2-auto-scaling"),
        ("Parameter Store", "parameter-store", "systems-manager"),
        ("Session Manager", "session-manager", "systems-manager"),
        ("Tape Gateway", "tape-gateway", "storage-gateway"),
    ],
)
def test_building_blocks_sit_under_their_family(name, sid, parent):
    assert CATALOG.resolve(name).id == sid
    assert CATALOG[sid].parent == parent
    assert sid in CATALOG.children(parent)


@pytest.mark.parametrize(
    "name",
    [
        "NAT Gateway",
        "NAT Instance",
        "Internet Gateway",
        "Security Group",
        "Network ACL",
        "VPC Endpoint",
        "VPC Peering",
        "Transit Gateway",
        "Launch Configuration",
        "Auto Scaling Group",
        "DAX",
        "Lambda@Edge",
        "CloudFront Functions",
        "S3 Standard-IA",
        "S3 One Zone-IA",
        "S3 Intelligent-Tiering",
        "IAM Identity Center",
        "IAM",
        "EC2 Instance Store",
        "EBS",
        "EFS",
        "AMI",
        "Elastic IP",
        "ENI",
        "Placement Groups",
        "Spot Instances",
        "Reserved Instances",
        "RDS Proxy",
        "RDS Read Replicas",
        "Route 53",
        "Global Accelerator",
        "Origin Access Identity",
        "Origin Access Control",
        "S3 Transfer Acceleration",
        "Storage Gateway",
        "Volume Gateway",
        "File Gateway",
        "Snowball",
        "Snowcone",
        "Snowmobile",
        "DataSync",
        "Secrets Manager",
        "KMS",
        "CloudHSM",
    ],
)
def test_named_building_blocks_are_entries(name):
    assert CATALOG.resolve(name).id in CATALOG


@pytest.mark.parametrize(
    ("written", "sid"),
    [
        ("ALB", "application-load-balancer"),
        ("KDS", "kinesis-data-streams"),
        ("KDF", "kinesis-data-firehose"),
        ("CUP", "cognito-user-pools"),
        ("ASG", "ec2-auto-scaling"),
        ("SSM", "systems-manager"),
        ("Elastic Cache", "elasticache"),
        ("Elasticache", "elasticache"),
        ("Route53", "route-53"),
        ("Cloud Watch", "cloudwatch"),
        ("Auto-scaling group", "ec2-auto-scaling"),
        ("SSO", "aws-sso"),
        ("ELB", "elastic-load-balancing"),
    ],
)
def test_aliases_people_write_resolve(written, sid):
    assert CATALOG.resolve(written).id == sid


@pytest.mark.parametrize(
    "sid",
    [
        "config",
        "glue",
        "batch",
        "shield",
        "backup",
        "inspector",
        "snowball",
        "connect",
        "detective",
        "artifact",
        "budgets",
        "organizations",
        "outposts",
        "pinpoint",
        "forecast",
        "personalize",
        "translate",
        "comprehend",
    ],
)
def test_english_word_names_are_flagged(sid):
    assert CATALOG[sid].common_word


def test_distinctive_names_are_not_flagged():
    assert not any(CATALOG[s].common_word for s in ("s3", "lambda", "dynamodb", "cloudfront"))


def test_the_generator_reproduces_the_shipped_file():
    botocore = pytest.importorskip("botocore", reason="the generator reads botocore's models")
    if not shipped()["source"].endswith(f"botocore {botocore.__version__}"):
        pytest.skip(f"the file was built with another botocore than {botocore.__version__}")
    spec = importlib.util.spec_from_file_location("make_catalog", REPO / "tools/make_catalog.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = shipped()
    assert module.entries() == data["services"]
    assert data["ambiguous"] == module.AMBIGUOUS
    assert sorted(module.CASED) == data["cased"]
    assert sorted(module.PREFIXED) == data["prefixed"]


# --- look-ups


@pytest.mark.parametrize(
    "written",
    ["s3", "S3", "Amazon S3", "AWS S3", "amazon simple storage service", "Simple Storage Service"],
)
def test_resolve_ignores_case_and_prefix(written):
    assert CATALOG.resolve(written).id == "s3"


def test_resolve_by_id_and_by_plural():
    assert CATALOG.resolve("application-load-balancer").short == "Application Load Balancer"
    assert CATALOG.resolve("NAT Gateways").id == "nat-gateway"


def test_ambiguous_names_go_where_the_data_file_says():
    for name, sid in shipped()["ambiguous"].items():
        assert CATALOG.resolve(name).id == sid


def test_unknown_names_raise_with_suggestions():
    with pytest.raises(UnknownService) as err:
        CATALOG.resolve("DynamoBD")
    assert isinstance(err.value, KeyError)
    assert err.value.name == "DynamoBD"
    assert err.value.suggestions[0] == "DynamoDB"
    assert "DynamoDB" in str(err.value)


def test_suggest_is_bounded_and_empty_for_nonsense():
    assert CATALOG.suggest("Cloud Frnt", n=2)[0] == "CloudFront"
    assert len(CATALOG.suggest("Kinesis Data", n=2)) <= 2
    assert CATALOG.suggest("qqqqqqqqqqqqqq") == []


def test_surface_forms_hold_name_short_and_aliases():
    forms = CATALOG.surface_forms("application-load-balancer")
    assert forms[0] == "Application Load Balancer"
    assert "ALB" in forms
    assert len(forms) == len(set(forms))
    assert {"Amazon Simple Storage Service", "Simple Storage Service", "S3"} <= set(
        CATALOG.surface_forms("s3")
    )


def test_catalog_is_a_read_only_mapping():
    assert "s3" in CATALOG and "not-a-service" not in CATALOG
    assert len(list(CATALOG)) == len(CATALOG) == len(CATALOG.services)
    assert CATALOG["ebs"].short == "EBS"
    with pytest.raises(KeyError):
        CATALOG["not-a-service"]


def test_categories_are_sorted_and_known():
    cats = CATALOG.categories()
    assert cats == sorted(cats) and set(cats) <= set(CATEGORY_COLORS) and len(cats) >= 10


def test_children_of_a_leaf_are_none():
    assert CATALOG.children("s3-glacier-deep-archive") == []
    assert set(CATALOG.children("kinesis")) >= {"kinesis-data-streams", "kinesis-data-firehose"}


def test_the_default_catalog_is_cached():
    assert load_catalog() is load_catalog()


# --- validation and loading other files


def test_validate_reports_each_kind_of_problem():
    data = {
        "ambiguous": {"Shared": "c"},
        "services": [
            entry("a", aliases=["Clash"]),
            entry("b", aliases=["clash"], category="Not A Category", parent="missing"),
            entry("a"),
            entry("d", aliases=["Shared"]),
            entry("e", aliases=["Shared"]),
        ],
    }
    problems = validate(data)
    text = "\n".join(problems)
    assert "duplicate id 'a'" in text
    assert "parent 'missing'" in text
    assert "unknown category 'Not A Category'" in text
    assert "'clash' belongs to ['a', 'b']" in text
    assert "'shared' resolves to 'c', not an owner" in text


def test_validate_accepts_a_clash_marked_ambiguous():
    data = {
        "ambiguous": {"Shared": "d"},
        "services": [entry("d", aliases=["Shared"]), entry("e", aliases=["Shared"])],
    }
    assert validate(data) == []


def test_a_catalog_from_a_file(tmp_path):
    path = tmp_path / "mini.json"
    services = [entry("widget", aliases=["WDG"]), entry("gadget", parent="widget")]
    path.write_text(json.dumps({"services": services}), encoding="utf-8")
    mini = load_catalog(path)
    assert len(mini) == 2
    assert mini.resolve("wdg").id == "widget"
    assert mini.children("widget") == ["gadget"]


def test_an_invalid_file_raises_catalog_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"services": [entry("x"), entry("x")]}), encoding="utf-8")
    with pytest.raises(CatalogError, match="duplicate id"):
        load_catalog(path)
