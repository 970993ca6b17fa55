"""Write graph_data/data/catalog.json from the hand-kept table below and botocore's service list.

Run ``python tools/make_catalog.py`` after editing the table; the JSON file is what ships. Each
row: id, official name, short name, category code, aliases ("|"-separated), description, and
optionally the parent id and whether the name is also an ordinary English word.

The hand table holds the services and the named building blocks students write about. A second
pass reads every service model botocore carries (``serviceFullName`` and
``serviceAbbreviation``): names of services already in the table become extra aliases of their
entry, the others become entries of their own. API-only models (runtimes, data planes, partner
and marketplace APIs, v2 duplicates) are skipped. botocore is needed only here, at build time
(``pip install .[catalog]``); nothing in graph_data imports it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "graph_data" / "data" / "catalog.json"

CATEGORIES = {
    "C": "Compute",
    "K": "Containers",
    "S": "Storage",
    "D": "Database",
    "N": "Networking & Content Delivery",
    "X": "Security, Identity & Compliance",
    "M": "Management & Governance",
    "I": "Application Integration",
    "A": "Analytics",
    "L": "Machine Learning",
    "T": "Developer Tools",
    "G": "Migration & Transfer",
    "$": "Cost Management",
    "E": "End User & Business",
    "O": "Internet of Things",
    "V": "Media",
    "F": "Frontend & Mobile",
}

# Aliases that may name more than one entry; the linker picks the first listed owner.
AMBIGUOUS = {
    "ELB": "elastic-load-balancing",
    "Auto Scaling": "ec2-auto-scaling",
    "Glacier": "s3-glacier",
    "Kinesis": "kinesis",
    "Firehose": "kinesis-data-firehose",
}

# Ways of using AWS rather than services: named in notes and exam scopes, related to nothing
# (that the CLI or the console can reach a service says nothing about how services relate).
TOOLS = {"aws-cli", "management-console", "aws-sdks"}

# Entries that are a kind of their parent (a load balancer type, a storage class, a queue type):
# never related to their family, and two kinds of one family are options, not integrations.
# Members of an umbrella family (Kinesis Data Streams in Kinesis) are never related to the
# umbrella but do work with each other. Components (DAX, EBS Snapshots, AMI) are neither.
MEMBERS = {
    "kinesis-data-streams",
    "kinesis-data-firehose",
    "kinesis-data-analytics",
    "kinesis-video-streams",
    "cognito-user-pools",
    "cognito-identity-pools",
    "cognito-sync",
    "cloudwatch-logs",
    "cloudwatch-alarms",
    "cloudwatch-logs-agent",
    "cloudwatch-synthetics",
    "s3-presigned-url",
    "s3-lifecycle",
    "s3-crr",
    "s3-srr",
    "s3-transfer-acceleration",
    "s3-object-lock",
    "s3-access-points",
    "s3-event-notifications",
    "s3-select",
    "cloudfront-signed-url",
    "parameter-store",
    "session-manager",
    "patch-manager",
    "run-command",
    "vpc-flow-logs",
    "dynamodb-global-tables",
    "glue-databrew",
    "glue-data-catalog",
    "redshift-spectrum",
    "iam-access-analyzer",
}
VARIANTS = {
    "application-load-balancer",
    "network-load-balancer",
    "gateway-load-balancer",
    "classic-load-balancer",
    "s3-standard",
    "s3-standard-ia",
    "s3-one-zone-ia",
    "s3-intelligent-tiering",
    "s3-glacier",
    "s3-glacier-instant-retrieval",
    "s3-glacier-flexible-retrieval",
    "s3-glacier-deep-archive",
    "elasticache-redis",
    "elasticache-memcached",
    "sqs-fifo",
    "sns-fifo",
    "aurora-serverless",
    "fsx-lustre",
    "fsx-windows",
    "fsx-ontap",
    "fsx-openzfs",
    "gateway-endpoint",
    "interface-endpoint",
    "s3-file-gateway",
    "fsx-file-gateway",
    "volume-gateway",
    "tape-gateway",
    "snowball",
    "snowcone",
    "snowmobile",
    "ec2-spot-instances",
    "on-demand-instances",
    "reserved-instances",
    "dedicated-hosts",
    "rds-custom",
    "ecs-anywhere",
    "rds-read-replicas",
    "rds-multi-az",
    "gsi",
    "lsi",
    "sqs-standard-queue",
    "sns-standard-topic",
    "s3-express-one-zone",
    "s3-reduced-redundancy",
    "ebs-gp3",
    "ebs-gp2",
    "ebs-provisioned-iops",
    "ebs-throughput-optimized-hdd",
    "ebs-cold-hdd",
    "capacity-reservations",
    "convertible-reserved-instances",
    "bucket-policy",
    "iam-identity-based-policy",
    "iam-resource-based-policy",
}

# Aliases matched only in the case written here: as ordinary words they mean something else.
CASED = {
    "Run Command",
    "Auto Scaling",
    "Single Sign-On",
    "Read Replica",
    "Read Replicas",
    "Flow Logs",
    "Identity Pools",
    "User Pools",
    "Data Streams",
    "Data Stream",
}

# Names that stand for an entry only in context. Each form lists its possible owners, first the
# one it is an alias of. The nearest heading naming an owner's family (the owner, its parent,
# siblings or children) decides, then the nearest such name in the passage; with no hint the
# first owner is meant when "default" is true, and no entry at all otherwise. A form that is
# also in CASED counts without context when written in that case.
CONTEXTUAL = {
    # S3's pre-signed URLs and CloudFront's signed URLs and cookies are named alike.
    "Pre-Signed URL": (["s3-presigned-url", "cloudfront-signed-url"], True),
    "Pre-Signed URLs": (["s3-presigned-url", "cloudfront-signed-url"], True),
    "Signed URL": (["cloudfront-signed-url", "s3-presigned-url"], True),
    "Signed URLs": (["cloudfront-signed-url", "s3-presigned-url"], True),
    # Bare kind names: a queue or topic kind, a search engine's initials, address translation.
    "FIFO": (["sqs-fifo", "sns-fifo"], False),
    "ES": (["opensearch"], False),
    "NAT": (["nat-gateway"], False),
    # Students write "CF" for both CloudFront and CloudFormation: the heading tells which.
    "CF": (["cloudfront", "cloudformation"], False),
    # "EB" is Elastic Beanstalk to some and EventBridge to others ("an EB event").
    "EB": (["elastic-beanstalk", "eventbridge"], False),
    # A bare "VPN" in AWS notes is the Site-to-Site VPN unless Client VPN is the topic.
    "VPN": (["site-to-site-vpn", "client-vpn"], True),
    # Capitalised these name the feature; in lower case they are everyday words.
    "Run Command": (["run-command"], False),
    "Read Replica": (["rds-read-replicas"], False),
    "Read Replicas": (["rds-read-replicas"], False),
    "Multi-AZ": (["rds-multi-az"], False),
}
# Abbreviations with no other meaning in prose, matched in lower case too ("s3", "sqs").
LOWERCASE = {
    "S3",
    "EC2",
    "SQS",
    "SNS",
    "IAM",
    "VPC",
    "RDS",
    "ECS",
    "EKS",
    "ECR",
    "EBS",
    "EFS",
    "EMR",
    "SSM",
    "STS",
}

# fmt: off
ROWS = [
    # --- Compute
    ("ec2", "Amazon Elastic Compute Cloud", "EC2", "C", "Elastic Compute Cloud|Elastic Computing Cloud|EC2 instance|EC2 machine", "Resizable virtual machines (instances) in the cloud."),
    ("ami", "Amazon Machine Image", "AMI", "C", "Amazon Machine Images|Golden AMI", "The template (OS and software) an EC2 instance boots from.", "ec2"),
    ("ec2-instance-store", "Amazon EC2 Instance Store", "EC2 Instance Store", "S", "Instance Store|Instance Storage|EC2 Instance Storage|ephemeral storage", "Temporary block storage physically attached to the host of an instance.", "ec2"),
    ("ec2-spot-instances", "Amazon EC2 Spot Instances", "EC2 Spot Instances", "C", "Spot Instance|Spot Instances|Spot Fleet|EC2 Spot", "Spare EC2 capacity at a steep discount that can be reclaimed at short notice.", "ec2"),
    ("on-demand-instances", "Amazon EC2 On-Demand Instances", "On-Demand Instances", "C", "On-Demand Instance|On-Demand", "EC2 capacity paid by the second with no commitment.", "ec2", True),
    ("reserved-instances", "Amazon EC2 Reserved Instances", "Reserved Instances", "C", "Reserved Instance|RIs", "A one- or three-year EC2 commitment in exchange for a lower price.", "ec2"),
    ("dedicated-hosts", "Amazon EC2 Dedicated Hosts", "Dedicated Hosts", "C", "Dedicated Host|Dedicated Instances|Dedicated Instance", "Physical servers reserved for one customer, for licensing or compliance.", "ec2"),
    ("placement-groups", "Amazon EC2 Placement Groups", "Placement Groups", "C", "Placement Group|cluster placement group|spread placement group|partition placement group", "Control over how instances are spread across or packed onto hardware.", "ec2"),
    ("elastic-ip", "Elastic IP Address", "Elastic IP", "N", "Elastic IP address|Elastic IPs|EIP|EIPs", "A static public IPv4 address you can remap between instances.", "ec2"),
    ("eni", "Elastic Network Interface", "Elastic Network Interface", "N", "ENI|ENIs|Elastic Network Interfaces", "A virtual network card attached to an instance in a VPC.", "vpc"),
    ("nitro", "AWS Nitro System", "Nitro", "C", "Nitro System|Nitro Enclaves", "The hypervisor and hardware offload platform behind modern EC2 instances.", "ec2"),
    ("ec2-auto-scaling", "Amazon EC2 Auto Scaling", "EC2 Auto Scaling", "C", "Auto Scaling|Auto Scaling Group|Auto Scaling Groups|ASG|ASGs|EC2 Auto Scaling Group", "Keeps a group of EC2 instances at the right size and replaces unhealthy ones."),
    ("application-auto-scaling", "Application Auto Scaling", "Application Auto Scaling", "M", "Auto Scaling", "Scales resources other than EC2, such as DynamoDB capacity and ECS tasks."),
    ("launch-template", "Amazon EC2 Launch Template", "Launch Template", "C", "Launch Templates", "A versioned description of how to launch instances; the newer way.", "ec2-auto-scaling"),
    ("launch-configuration", "Auto Scaling Launch Configuration", "Launch Configuration", "C", "Launch Configurations|Launch Config", "The legacy, immutable launch description for Auto Scaling groups.", "ec2-auto-scaling"),
    ("lambda", "AWS Lambda", "Lambda", "C", "Lambda function|Lambda Destinations|Lambdas", "Runs your functions on demand without servers to manage."),
    ("lambda-edge", "Lambda@Edge", "Lambda@Edge", "N", "Lambda at Edge|Lambda at the Edge", "Lambda functions that run at CloudFront edge locations.", "cloudfront"),
    ("lambda-authorizer", "API Gateway Lambda Authorizer", "Lambda Authorizer", "X", "Lambda Authorizers|Custom Authorizer|Custom Authorizers", "A Lambda function that decides whether an API Gateway request is allowed.", "api-gateway"),
    ("elastic-beanstalk", "AWS Elastic Beanstalk", "Elastic Beanstalk", "C", "Beanstalk|EB", "Deploys and runs web applications on managed EC2 environments."),
    ("lightsail", "Amazon Lightsail", "Lightsail", "C", "", "Simple virtual private servers with predictable monthly pricing."),
    ("batch", "AWS Batch", "Batch", "C", "", "Runs batch computing jobs on managed compute.", None, True),
    ("outposts", "AWS Outposts", "Outposts", "C", "Outpost", "AWS hardware and services installed in your own data centre.", None, True),
    ("wavelength", "AWS Wavelength", "Wavelength", "C", "", "AWS compute embedded in telecom 5G networks.", None, True),
    ("local-zones", "AWS Local Zones", "Local Zones", "C", "Local Zone", "AWS infrastructure placed close to large cities.", None),
    ("app-runner", "AWS App Runner", "App Runner", "C", "", "Runs containerised web apps from source or an image with no infrastructure to set up."),
    ("serverless-application-repository", "AWS Serverless Application Repository", "Serverless Application Repository", "C", "SAR", "A catalogue of ready-made serverless applications."),
    ("compute-optimizer", "AWS Compute Optimizer", "Compute Optimizer", "M", "", "Recommends right-sized instances from usage metrics."),
    ("parallelcluster", "AWS ParallelCluster", "ParallelCluster", "C", "Parallel Cluster", "Builds HPC clusters on AWS."),
    ("vmware-cloud", "VMware Cloud on AWS", "VMware Cloud on AWS", "C", "", "VMware's software stack running on AWS hardware."),
    # --- Containers
    ("ecs", "Amazon Elastic Container Service", "ECS", "K", "Elastic Container Service|ECS agent|ECS Container Agent|ECS task|ECS tasks|ECS cluster", "Runs and orchestrates Docker containers on AWS."),
    ("ecr", "Amazon Elastic Container Registry", "ECR", "K", "Elastic Container Registry", "A private registry for container images."),
    ("eks", "Amazon Elastic Kubernetes Service", "EKS", "K", "Elastic Kubernetes Service", "Managed Kubernetes control plane."),
    ("eks-anywhere", "Amazon EKS Anywhere", "EKS Anywhere", "K", "", "Runs EKS clusters on your own servers.", "eks"),
    ("eks-distro", "Amazon EKS Distro", "EKS Distro", "K", "EKS-D", "The Kubernetes distribution EKS runs, for your own clusters.", "eks"),
    ("fargate", "AWS Fargate", "Fargate", "K", "", "Serverless compute for containers on ECS or EKS."),
    ("ecs-anywhere", "Amazon ECS Anywhere", "ECS Anywhere", "K", "", "Runs ECS tasks on your own servers.", "ecs"),
    ("app-mesh", "AWS App Mesh", "App Mesh", "K", "", "A service mesh for microservices."),
    ("copilot", "AWS Copilot", "Copilot", "K", "AWS Copilot CLI", "A command line tool to deploy container apps to ECS and App Runner.", None, True),
    # --- Storage
    ("s3", "Amazon Simple Storage Service", "S3", "S", "Simple Storage Service|S3 bucket|S3 object|S3 Standard bucket", "Object storage with virtually unlimited capacity."),
    ("s3-standard", "Amazon S3 Standard", "S3 Standard", "S", "S3 Standard General Purpose", "The default S3 class for frequently accessed data.", "s3"),
    ("s3-standard-ia", "Amazon S3 Standard-Infrequent Access", "S3 Standard-IA", "S", "S3 Standard IA|S3 IA|Standard-IA|Standard IA|S3 Infrequent Access", "Cheaper storage for data read rarely but needed fast.", "s3"),
    ("s3-one-zone-ia", "Amazon S3 One Zone-Infrequent Access", "S3 One Zone-IA", "S", "S3 One Zone IA|One Zone-IA|One Zone IA|Standard One Zone IA", "Infrequent-access storage kept in a single Availability Zone.", "s3"),
    ("s3-intelligent-tiering", "Amazon S3 Intelligent-Tiering", "S3 Intelligent-Tiering", "S", "Intelligent-Tiering|Intelligent Tiering|S3 Intelligent Tiering", "Moves objects between access tiers automatically.", "s3"),
    ("s3-glacier", "Amazon S3 Glacier", "S3 Glacier", "S", "Glacier|Amazon Glacier", "Low-cost archive storage classes of S3.", "s3"),
    ("s3-glacier-instant-retrieval", "Amazon S3 Glacier Instant Retrieval", "S3 Glacier Instant Retrieval", "S", "Glacier Instant Retrieval", "Archive storage with millisecond access.", "s3-glacier"),
    ("s3-glacier-flexible-retrieval", "Amazon S3 Glacier Flexible Retrieval", "S3 Glacier Flexible Retrieval", "S", "Glacier Flexible Retrieval", "Archive storage with retrieval in minutes to hours.", "s3-glacier"),
    ("s3-glacier-deep-archive", "Amazon S3 Glacier Deep Archive", "S3 Glacier Deep Archive", "S", "Glacier Deep Archive|Deep Archive", "The cheapest archive class, retrieval within hours.", "s3-glacier"),
    ("s3-transfer-acceleration", "Amazon S3 Transfer Acceleration", "S3 Transfer Acceleration", "S", "Transfer Acceleration", "Speeds uploads to S3 through CloudFront edge locations.", "s3"),
    ("s3-crr", "Amazon S3 Cross-Region Replication", "S3 Cross-Region Replication", "S", "S3 CRR|CRR|Cross-Region Replication|Cross Region Replication|S3 Cross Region Replication", "Copies objects to a bucket in another Region automatically.", "s3"),
    ("s3-srr", "Amazon S3 Same-Region Replication", "S3 Same-Region Replication", "S", "S3 SRR|SRR|Same-Region Replication|Same Region Replication|S3 Same Region Replication", "Copies objects to another bucket in the same Region automatically.", "s3"),
    ("s3-presigned-url", "Amazon S3 Pre-Signed URL", "S3 Pre-Signed URL", "S", "S3 pre-signed URLs|Pre-Signed URL|Pre-Signed URLs|presigned URL|presigned URLs", "A time-limited URL granting access to one S3 object.", "s3"),
    ("s3-lifecycle", "Amazon S3 Lifecycle Rules", "S3 Lifecycle Rules", "S", "S3 lifecycle policy|S3 Lifecycle|lifecycle rules|lifecycle policy|lifecycle configuration", "Rules that move or expire objects as they age.", "s3"),
    ("s3-object-lock", "Amazon S3 Object Lock", "S3 Object Lock", "S", "Object Lock", "Write-once-read-many protection for S3 objects.", "s3"),
    ("s3-access-points", "Amazon S3 Access Points", "S3 Access Points", "S", "S3 Access Point", "Named network endpoints with their own policies for a bucket.", "s3"),
    ("s3-event-notifications", "Amazon S3 Event Notifications", "S3 Event Notifications", "S", "S3 Events|S3 event notification", "Messages S3 sends when objects are created or deleted.", "s3"),
    ("s3-select", "Amazon S3 Select", "S3 Select", "S", "Glacier Select", "Server-side filtering of an object's contents with SQL.", "s3"),
    ("ebs", "Amazon Elastic Block Store", "EBS", "S", "Elastic Block Store|Elastic Block Storage|EBS volume|EBS volumes", "Network-attached block volumes for EC2 instances."),
    ("ebs-snapshots", "Amazon EBS Snapshots", "EBS Snapshots", "S", "EBS snapshot|EBS Snapshot Archive", "Point-in-time backups of EBS volumes stored in S3.", "ebs"),
    ("efs", "Amazon Elastic File System", "EFS", "S", "Elastic File System|EFS-IA", "A managed NFS file system shared by many instances."),
    ("fsx", "Amazon FSx", "FSx", "S", "", "Managed third-party file systems."),
    ("fsx-lustre", "Amazon FSx for Lustre", "FSx for Lustre", "S", "FSx Lustre", "A high-performance Lustre file system for HPC, linked to S3.", "fsx"),
    ("fsx-windows", "Amazon FSx for Windows File Server", "FSx for Windows File Server", "S", "FSx for Windows", "A managed Windows (SMB) file server.", "fsx"),
    ("fsx-ontap", "Amazon FSx for NetApp ONTAP", "FSx for NetApp ONTAP", "S", "FSx for ONTAP", "Managed NetApp ONTAP file storage.", "fsx"),
    ("fsx-openzfs", "Amazon FSx for OpenZFS", "FSx for OpenZFS", "S", "", "Managed OpenZFS file storage.", "fsx"),
    ("storage-gateway", "AWS Storage Gateway", "Storage Gateway", "S", "", "Connects on-premises applications to cloud storage."),
    ("s3-file-gateway", "Amazon S3 File Gateway", "S3 File Gateway", "S", "File Gateway", "A Storage Gateway type exposing S3 as NFS/SMB shares.", "storage-gateway"),
    ("fsx-file-gateway", "Amazon FSx File Gateway", "FSx File Gateway", "S", "", "A Storage Gateway type caching FSx for Windows shares on premises.", "storage-gateway"),
    ("volume-gateway", "Volume Gateway", "Volume Gateway", "S", "Cached Volumes|Stored Volumes", "A Storage Gateway type exposing iSCSI volumes backed by S3.", "storage-gateway"),
    ("tape-gateway", "Tape Gateway", "Tape Gateway", "S", "Virtual Tape Library|VTL", "A Storage Gateway type emulating a tape library.", "storage-gateway"),
    ("backup", "AWS Backup", "Backup", "S", "", "Central backup policies across AWS services.", None, True),
    ("elastic-disaster-recovery", "AWS Elastic Disaster Recovery", "Elastic Disaster Recovery", "S", "DRS|CloudEndure Disaster Recovery", "Replicates servers to AWS for fast recovery."),
    # --- Database
    ("rds", "Amazon Relational Database Service", "RDS", "D", "Relational Database Service|RDS DB instance|RDS instance|RDS database", "Managed relational databases (MySQL, PostgreSQL, Oracle, SQL Server, MariaDB)."),
    ("rds-read-replicas", "Amazon RDS Read Replicas", "RDS Read Replicas", "D", "RDS Read Replica|Read Replica|Read Replicas", "Asynchronous copies of an RDS database that serve reads.", "rds"),
    ("rds-multi-az", "Amazon RDS Multi-AZ", "RDS Multi-AZ", "D", "RDS Multi AZ|Multi-AZ Deployment|RDS Multi-AZ Deployment|Multi-AZ|Multi-AZ RDS", "A synchronous standby in another AZ for automatic failover.", "rds"),
    ("rds-proxy", "Amazon RDS Proxy", "RDS Proxy", "D", "", "A managed connection pool in front of RDS and Aurora.", "rds"),
    ("rds-custom", "Amazon RDS Custom", "RDS Custom", "D", "", "RDS with access to the underlying OS and database.", "rds"),
    ("aurora", "Amazon Aurora", "Aurora", "D", "Aurora DB|Aurora Read Replicas|Aurora Global Database", "AWS's MySQL/PostgreSQL-compatible cloud database."),
    ("aurora-serverless", "Amazon Aurora Serverless", "Aurora Serverless", "D", "", "Aurora that scales capacity automatically with load.", "aurora"),
    ("dynamodb", "Amazon DynamoDB", "DynamoDB", "D", "DynamoDB table|DDB|Dynamo DB", "Serverless key-value and document database."),
    ("dynamodb-streams", "Amazon DynamoDB Streams", "DynamoDB Streams", "D", "DynamoDB Stream|DDB Streams", "An ordered log of item changes in a DynamoDB table.", "dynamodb"),
    ("dax", "Amazon DynamoDB Accelerator", "DAX", "D", "DynamoDB Accelerator", "An in-memory cache for DynamoDB reads.", "dynamodb"),
    ("dynamodb-global-tables", "Amazon DynamoDB Global Tables", "DynamoDB Global Tables", "D", "Global Tables|Global Table", "Multi-Region, multi-active DynamoDB replication.", "dynamodb"),
    ("gsi", "DynamoDB Global Secondary Index", "Global Secondary Index", "D", "Global Secondary Indexes|GSI|GSIs", "An index with its own partition key, added at any time.", "dynamodb"),
    ("lsi", "DynamoDB Local Secondary Index", "Local Secondary Index", "D", "Local Secondary Indexes|LSI|LSIs", "An index sharing the table's partition key, defined at creation.", "dynamodb"),
    ("elasticache", "Amazon ElastiCache", "ElastiCache", "D", "Elasticache|ElasticCache|Elastic Cache", "Managed Redis and Memcached in-memory caches."),
    ("elasticache-redis", "Amazon ElastiCache for Redis", "ElastiCache for Redis", "D", "Redis|ElastiCache Redis", "The Redis engine of ElastiCache: rich data types, replication.", "elasticache"),
    ("elasticache-memcached", "Amazon ElastiCache for Memcached", "ElastiCache for Memcached", "D", "Memcached|ElastiCache Memcached", "The Memcached engine of ElastiCache: simple, multi-threaded.", "elasticache"),
    ("memorydb", "Amazon MemoryDB for Redis", "MemoryDB", "D", "MemoryDB for Redis", "A durable Redis-compatible in-memory database."),
    ("redshift", "Amazon Redshift", "Redshift", "A", "Redshift cluster", "A columnar data warehouse for analytics."),
    ("redshift-spectrum", "Amazon Redshift Spectrum", "Redshift Spectrum", "A", "", "Queries data in S3 from Redshift without loading it.", "redshift"),
    ("neptune", "Amazon Neptune", "Neptune", "D", "", "A managed graph database."),
    ("documentdb", "Amazon DocumentDB", "DocumentDB", "D", "DocumentDB (with MongoDB compatibility)", "A MongoDB-compatible document database."),
    ("keyspaces", "Amazon Keyspaces (for Apache Cassandra)", "Keyspaces", "D", "Amazon Keyspaces", "A serverless Cassandra-compatible database."),
    ("qldb", "Amazon Quantum Ledger Database", "QLDB", "D", "Quantum Ledger Database", "An immutable, verifiable ledger database."),
    ("timestream", "Amazon Timestream", "Timestream", "D", "", "A serverless time-series database."),
    ("managed-blockchain", "Amazon Managed Blockchain", "Managed Blockchain", "D", "", "Managed Hyperledger Fabric and Ethereum networks."),
    # --- Networking & Content Delivery
    ("vpc", "Amazon Virtual Private Cloud", "VPC", "N", "Virtual Private Cloud|VPCs", "Your own isolated network in AWS."),
    ("vpc-ipam", "Amazon VPC IP Address Manager", "VPC IPAM", "N", "IP Address Manager|VPC IP Address Manager", "Plans and tracks IP addresses across VPCs and accounts.", "vpc"),
    ("reachability-analyzer", "VPC Reachability Analyzer", "Reachability Analyzer", "N", "", "Checks whether a network path between two resources is open.", "vpc"),
    ("internet-gateway", "Internet Gateway", "Internet Gateway", "N", "Internet Gateways|IGW", "Connects a VPC to the internet.", "vpc"),
    ("egress-only-internet-gateway", "Egress-Only Internet Gateway", "Egress-only Internet Gateway", "N", "Egress-Only Internet Gateways|EIGW", "Outbound-only internet access for IPv6.", "vpc"),
    ("nat-gateway", "NAT Gateway", "NAT Gateway", "N", "NAT Gateways|NAT GW|NATGW|NAT", "Managed outbound internet access for private subnets.", "vpc"),
    ("nat-instance", "NAT Instance", "NAT Instance", "N", "NAT Instances", "An EC2 instance doing network address translation; the older way.", "vpc"),
    ("security-group", "Security Group", "Security Group", "X", "Security Groups|SG|SGs", "A stateful firewall around instances and other resources.", "vpc"),
    ("network-acl", "Network Access Control List", "Network ACL", "X", "Network ACLs|NACL|NACLs|Network Access Control List|Network Access Control Lists", "A stateless firewall at the subnet level.", "vpc"),
    ("vpc-endpoint", "VPC Endpoint", "VPC Endpoint", "N", "VPC Endpoints", "Private access from a VPC to AWS services without the internet.", "vpc"),
    ("gateway-endpoint", "VPC Gateway Endpoint", "Gateway Endpoint", "N", "Gateway Endpoints|VPC Endpoint Gateway|VPC Gateway Endpoint", "A route-table endpoint for S3 and DynamoDB.", "vpc-endpoint"),
    ("interface-endpoint", "VPC Interface Endpoint", "Interface Endpoint", "N", "Interface Endpoints|VPC Interface Endpoint", "An ENI-based private endpoint (PrivateLink).", "vpc-endpoint"),
    ("privatelink", "AWS PrivateLink", "PrivateLink", "N", "Private Link", "Exposes a service privately to other VPCs."),
    ("vpc-peering", "VPC Peering", "VPC Peering", "N", "VPC peering connection|VPC peering connections", "A private link between two VPCs.", "vpc"),
    ("vpc-flow-logs", "VPC Flow Logs", "VPC Flow Logs", "N", "Flow Logs|Flow Log", "Records of the IP traffic in a VPC.", "vpc"),
    ("transit-gateway", "AWS Transit Gateway", "Transit Gateway", "N", "TGW", "A hub connecting many VPCs and on-premises networks."),
    ("site-to-site-vpn", "AWS Site-to-Site VPN", "Site-to-Site VPN", "N", "Site to Site VPN|S2S VPN|VPN connection|IPsec VPN|AWS Managed VPN|VPN", "An IPsec tunnel between a VPC and your network."),
    ("vpn-cloudhub", "AWS VPN CloudHub", "VPN CloudHub", "N", "CloudHub", "Hub-and-spoke VPN between several sites through one virtual private gateway.", "site-to-site-vpn"),
    ("client-vpn", "AWS Client VPN", "Client VPN", "N", "", "Managed VPN access for individual users."),
    ("virtual-private-gateway", "Virtual Private Gateway", "Virtual Private Gateway", "N", "VGW|Virtual Gateway|Virtual Gateways", "The AWS side of a Site-to-Site VPN or Direct Connect.", "vpc"),
    ("customer-gateway", "Customer Gateway", "Customer Gateway", "N", "CGW", "Your side of a Site-to-Site VPN.", "site-to-site-vpn"),
    ("direct-connect", "AWS Direct Connect", "Direct Connect", "N", "DX", "A dedicated network line from your site to AWS."),
    ("cloudfront", "Amazon CloudFront", "CloudFront", "N", "Cloud Front|CloudFront distribution|CloudFront distributions|CF", "A content delivery network with edge caches worldwide."),
    ("cloudfront-functions", "CloudFront Functions", "CloudFront Functions", "N", "CloudFront Function", "Lightweight JavaScript run at CloudFront edges.", "cloudfront"),
    ("cloudfront-signed-url", "CloudFront Signed URL", "CloudFront Signed URL", "N", "CloudFront Signed URLs|CloudFront Signed Cookies|Signed URL|Signed URLs|Signed Cookies|Signed Cookie", "A signed link restricting access to CloudFront content.", "cloudfront"),
    ("origin-access-identity", "CloudFront Origin Access Identity", "Origin Access Identity", "N", "OAI|Origin Access Identities", "A special CloudFront user allowed to read a private S3 bucket.", "cloudfront"),
    ("origin-access-control", "CloudFront Origin Access Control", "Origin Access Control", "N", "OAC", "The newer way to let CloudFront read a private S3 bucket.", "cloudfront"),
    ("route-53", "Amazon Route 53", "Route 53", "N", "Route53|Route 53 hosted zone|R53", "Managed DNS with health checks and routing policies."),
    ("route-53-dns-firewall", "Amazon Route 53 Resolver DNS Firewall", "DNS Firewall", "N", "Route 53 Resolver DNS Firewall|Route 53 DNS Firewall", "Filters the DNS queries a VPC makes.", "route-53"),
    ("global-accelerator", "AWS Global Accelerator", "Global Accelerator", "N", "", "Anycast IPs that route users over the AWS backbone."),
    ("elastic-load-balancing", "Elastic Load Balancing", "Elastic Load Balancing", "N", "ELB|ELBs|LB|Elastic Load Balancer|Elastic Load Balancers|load balancer|load balancers", "Distributes traffic across targets; the family of AWS load balancers."),
    ("application-load-balancer", "Application Load Balancer", "Application Load Balancer", "N", "Application Load Balancers|ALB|ALBs|Application LB", "A layer-7 (HTTP/HTTPS) load balancer.", "elastic-load-balancing"),
    ("network-load-balancer", "Network Load Balancer", "Network Load Balancer", "N", "Network Load Balancers|NLB|NLBs|Network LB", "A layer-4 (TCP/UDP) load balancer with static IPs.", "elastic-load-balancing"),
    ("gateway-load-balancer", "Gateway Load Balancer", "Gateway Load Balancer", "N", "Gateway Load Balancers|GWLB|Gateway LB", "A layer-3 load balancer for third-party network appliances.", "elastic-load-balancing"),
    ("classic-load-balancer", "Classic Load Balancer", "Classic Load Balancer", "N", "Classic Load Balancers|CLB|Classic LB", "The previous-generation load balancer.", "elastic-load-balancing"),
    ("api-gateway", "Amazon API Gateway", "API Gateway", "N", "ApiGateway|API Gateway Caching|REST API Gateway|API GW|APIGW", "Creates, secures and scales HTTP, REST and WebSocket APIs."),
    ("cloud-map", "AWS Cloud Map", "Cloud Map", "N", "", "Service discovery for cloud resources."),
    ("vpc-lattice", "Amazon VPC Lattice", "VPC Lattice", "N", "", "Application networking across VPCs and accounts."),
    # --- Security, Identity & Compliance
    ("iam", "AWS Identity and Access Management", "IAM", "X", "Identity and Access Management|IAM role|IAM roles|IAM policy|IAM policies|IAM user|IAM users|IAM group|IAM groups|IAM Authentication|IAM Auth", "Users, roles and policies that control access to AWS."),
    ("iam-identity-center", "AWS IAM Identity Center", "IAM Identity Center", "X", "Identity Center", "Single sign-on to many AWS accounts and apps; the successor of AWS SSO."),
    ("aws-sso", "AWS Single Sign-On", "AWS Single Sign-On", "X", "Single Sign-On|SSO|AWS SSO", "The former name of IAM Identity Center.", None),
    ("sts", "AWS Security Token Service", "STS", "X", "Security Token Service", "Issues temporary security credentials."),
    ("organizations", "AWS Organizations", "Organizations", "M", "", "Manages many AWS accounts centrally.", None, True),
    ("scp", "Service Control Policies", "Service Control Policy", "M", "Service Control Policies|SCP|SCPs", "Organization-wide guardrails on what accounts may do.", "organizations"),
    ("control-tower", "AWS Control Tower", "Control Tower", "M", "", "Sets up and governs a multi-account landing zone."),
    ("cognito", "Amazon Cognito", "Cognito", "X", "", "Sign-up, sign-in and access control for web and mobile apps."),
    ("cognito-user-pools", "Amazon Cognito User Pools", "Cognito User Pools", "X", "Cognito User Pool|CUP|User Pools", "A user directory that signs users in and issues tokens.", "cognito"),
    ("cognito-identity-pools", "Amazon Cognito Identity Pools", "Cognito Identity Pools", "X", "Cognito Identity Pool|Federated Identities|Cognito Federated Identities|Identity Pools", "Exchanges identities for temporary AWS credentials.", "cognito"),
    ("cognito-sync", "Amazon Cognito Sync", "Cognito Sync", "F", "", "Synchronised user data across devices; superseded by AppSync.", "cognito"),
    ("directory-service", "AWS Directory Service", "Directory Service", "X", "AWS Managed Microsoft AD|Managed Microsoft AD|AD Connector|Simple AD", "Managed Microsoft Active Directory in AWS."),
    ("kms", "AWS Key Management Service", "KMS", "X", "Key Management Service|Key Management System|KMS key|KMS keys|CMK|CMKs", "Creates and controls encryption keys."),
    ("cloudhsm", "AWS CloudHSM", "CloudHSM", "X", "Cloud HSM", "Dedicated hardware security modules."),
    ("secrets-manager", "AWS Secrets Manager", "Secrets Manager", "X", "", "Stores and rotates secrets such as database passwords."),
    ("certificate-manager", "AWS Certificate Manager", "Certificate Manager", "X", "ACM|AWS Cert Manager|Cert Manager", "Provisions and renews TLS certificates."),
    ("waf", "AWS WAF", "WAF", "X", "Web Application Firewall", "A web application firewall for CloudFront, ALB and API Gateway."),
    ("shield", "AWS Shield", "Shield", "X", "Shield Standard|Shield Advanced", "DDoS protection.", None, True),
    ("firewall-manager", "AWS Firewall Manager", "Firewall Manager", "X", "", "Manages WAF, Shield and security group rules across accounts."),
    ("network-firewall", "AWS Network Firewall", "Network Firewall", "X", "", "A managed network firewall for VPCs."),
    ("guardduty", "Amazon GuardDuty", "GuardDuty", "X", "Guard Duty", "Threat detection from logs using machine learning."),
    ("inspector", "Amazon Inspector", "Inspector", "X", "", "Scans instances, images and functions for vulnerabilities.", None, True),
    ("macie", "Amazon Macie", "Macie", "X", "", "Finds sensitive data such as PII in S3."),
    ("security-hub", "AWS Security Hub", "Security Hub", "X", "", "Aggregates security findings across accounts."),
    ("detective", "Amazon Detective", "Detective", "X", "", "Investigates the root cause of security findings.", None, True),
    ("artifact", "AWS Artifact", "Artifact", "X", "", "On-demand access to AWS compliance reports.", None, True),
    ("audit-manager", "AWS Audit Manager", "Audit Manager", "X", "", "Collects evidence for audits."),
    ("resource-access-manager", "AWS Resource Access Manager", "Resource Access Manager", "X", "", "Shares resources with other accounts."),
    ("verified-permissions", "Amazon Verified Permissions", "Verified Permissions", "X", "", "Fine-grained authorization for your applications."),
    ("iam-access-analyzer", "IAM Access Analyzer", "IAM Access Analyzer", "X", "Access Analyzer", "Finds resources shared outside your account.", "iam"),
    # --- Management & Governance
    ("cloudwatch", "Amazon CloudWatch", "CloudWatch", "M", "Cloud Watch|CW|CloudWatch metrics|CloudWatch Metrics|CloudWatch dashboard", "Metrics, dashboards, logs and alarms for AWS resources."),
    ("cloudwatch-logs", "Amazon CloudWatch Logs", "CloudWatch Logs", "M", "CloudWatch Log|CloudWatch Logs Insights|Log Groups|CW Logs|CW Log", "Stores and queries log data.", "cloudwatch"),
    ("cloudwatch-alarms", "Amazon CloudWatch Alarms", "CloudWatch Alarms", "M", "CloudWatch Alarm|CW Alarm|CW Alarms", "Watch a metric and act when it crosses a threshold.", "cloudwatch"),
    ("cloudwatch-logs-agent", "CloudWatch Logs Agent", "CloudWatch Logs Agent", "M", "CloudWatch Logs agents|CloudWatch agent", "The older agent that ships logs from instances.", "cloudwatch-logs"),
    ("cloudwatch-unified-agent", "Amazon CloudWatch Unified Agent", "CloudWatch Unified Agent", "M", "Unified Agent|Unified CloudWatch Agent", "The current agent that ships logs and system metrics.", "cloudwatch"),
    ("cloudwatch-events", "Amazon CloudWatch Events", "CloudWatch Events", "I", "CloudWatch Event", "The former name of EventBridge's default event bus.", None),
    ("cloudwatch-synthetics", "Amazon CloudWatch Synthetics", "CloudWatch Synthetics", "M", "Synthetics Canary|Synthetics Canaries", "Canaries that test endpoints on a schedule.", "cloudwatch"),
    ("cloudtrail", "AWS CloudTrail", "CloudTrail", "M", "Cloud Trail|CloudTrail trail", "Records the API calls made in your account."),
    ("config", "AWS Config", "Config", "M", "Config rules|Config Rules|Config rule", "Records resource configurations and checks them against rules.", None, True),
    ("cloudformation", "AWS CloudFormation", "CloudFormation", "M", "Cloud Formation|CloudFormation template|CloudFormation templates|CloudFormation stack|StackSets|CFN", "Infrastructure as code with templates."),
    ("cdk", "AWS Cloud Development Kit", "Cloud Development Kit", "T", "CDK", "Defines infrastructure in programming languages, synthesised to CloudFormation."),
    ("sam", "AWS Serverless Application Model", "Serverless Application Model", "T", "SAM|SAM CLI", "A CloudFormation extension for serverless apps."),
    ("systems-manager", "AWS Systems Manager", "Systems Manager", "M", "SSM|Simple Systems Manager|System Manager|SSM Agent", "Operations hub for fleets of instances."),
    ("parameter-store", "AWS Systems Manager Parameter Store", "Systems Manager Parameter Store", "M", "Parameter Store|SSM Parameter Store|Param Store|SSM Param Store", "Hierarchical storage for configuration and secrets.", "systems-manager"),
    ("session-manager", "AWS Systems Manager Session Manager", "Systems Manager Session Manager", "M", "Session Manager|SSM Session Manager", "Shell access to instances without SSH or open ports.", "systems-manager"),
    ("patch-manager", "AWS Systems Manager Patch Manager", "Systems Manager Patch Manager", "M", "Patch Manager", "Automates OS patching.", "systems-manager"),
    ("run-command", "AWS Systems Manager Run Command", "Systems Manager Run Command", "M", "Run Command", "Runs commands across a fleet.", "systems-manager"),
    ("opsworks", "AWS OpsWorks", "OpsWorks", "M", "", "Managed Chef and Puppet (retired)."),
    ("service-catalog", "AWS Service Catalog", "Service Catalog", "M", "", "Approved products that users can launch."),
    ("marketplace", "AWS Marketplace", "Marketplace", "M", "", "A store of third-party software, AMIs and data sold through AWS.", None, True),
    ("trusted-advisor", "AWS Trusted Advisor", "Trusted Advisor", "M", "", "Best-practice checks for cost, security and limits."),
    ("health-dashboard", "AWS Health Dashboard", "Health Dashboard", "M", "Personal Health Dashboard|Service Health Dashboard", "Status of AWS services and events affecting you."),
    ("license-manager", "AWS License Manager", "License Manager", "M", "", "Tracks software licences."),
    ("cloudshell", "AWS CloudShell", "CloudShell", "T", "Cloud Shell", "A browser-based shell with AWS tools."),
    ("aws-cli", "AWS Command Line Interface", "AWS CLI", "T", "AWS Command Line|aws cli", "The command-line tool for every AWS service."),
    ("management-console", "AWS Management Console", "Management Console", "M", "AWS Console|AWS web console", "The web console for every AWS service."),
    ("aws-sdks", "AWS SDKs", "AWS SDKs", "T", "AWS SDK|AWS tools and SDKs", "Libraries for calling AWS from programming languages."),
    ("managed-grafana", "Amazon Managed Grafana", "Managed Grafana", "M", "", "Managed Grafana dashboards."),
    ("managed-prometheus", "Amazon Managed Service for Prometheus", "Managed Prometheus", "M", "Amazon Managed Service for Prometheus", "Managed Prometheus metrics."),
    ("resource-groups", "AWS Resource Groups", "Resource Groups", "M", "Tag Editor", "Groups resources by tags."),
    ("well-architected-tool", "AWS Well-Architected Tool", "Well-Architected Tool", "M", "", "Reviews workloads against the Well-Architected Framework."),
    ("fis", "AWS Fault Injection Service", "Fault Injection Service", "M", "Fault Injection Simulator|FIS", "Chaos experiments on AWS workloads."),
    ("proton", "AWS Proton", "Proton", "T", "", "Templates for container and serverless deployments.", None, True),
    ("launch-wizard", "AWS Launch Wizard", "Launch Wizard", "M", "", "Guided deployment of third-party applications."),
    # --- Application Integration
    ("sqs", "Amazon Simple Queue Service", "SQS", "I", "Simple Queue Service|SQS queue|SQS queues|SQS Standard", "A fully managed message queue."),
    ("sqs-fifo", "Amazon SQS FIFO Queue", "SQS FIFO Queue", "I", "SQS FIFO|SQS FIFO queues|FIFO queue|FIFO queues|FIFO", "An SQS queue with ordering and exactly-once processing.", "sqs"),
    ("sns", "Amazon Simple Notification Service", "SNS", "I", "Simple Notification Service|SNS topic|SNS topics", "Pub/sub messaging that pushes to many subscribers."),
    ("sns-fifo", "Amazon SNS FIFO Topic", "SNS FIFO Topic", "I", "SNS FIFO|FIFO topic|FIFO topics|SNS FIFO topics", "An ordered, deduplicated SNS topic.", "sns"),
    ("mq", "Amazon MQ", "MQ", "I", "Amazon MQ", "Managed ActiveMQ and RabbitMQ brokers."),
    ("eventbridge", "Amazon EventBridge", "EventBridge", "I", "Event Bridge|EventBridge rule|EventBridge rules|EventBridge Scheduler|EventBridge Pipes", "A serverless event bus connecting AWS services and apps."),
    ("step-functions", "AWS Step Functions", "Step Functions", "I", "Step Function|State Machine|State Machines", "Orchestrates workflows of AWS services."),
    ("swf", "Amazon Simple Workflow Service", "SWF", "I", "Simple Workflow Service", "The older workflow coordination service."),
    ("appsync", "AWS AppSync", "AppSync", "F", "App Sync", "Managed GraphQL and real-time APIs."),
    ("appflow", "Amazon AppFlow", "AppFlow", "I", "", "Moves data between SaaS apps and AWS."),
    ("mwaa", "Amazon Managed Workflows for Apache Airflow", "MWAA", "I", "Managed Workflows for Apache Airflow", "Managed Apache Airflow."),
    # --- Analytics
    ("kinesis", "Amazon Kinesis", "Kinesis", "A", "Kinesis family", "The family of real-time streaming services."),
    ("kinesis-data-streams", "Amazon Kinesis Data Streams", "Kinesis Data Streams", "A", "Kinesis Data Stream|Kinesis Streams|Kinesis Stream|KDS|Data Streams|Data Stream", "Durable real-time data streams split into shards.", "kinesis"),
    ("kinesis-data-firehose", "Amazon Data Firehose", "Kinesis Data Firehose", "A", "Kinesis Firehose|Data Firehose|Amazon Data Firehose|KDF|Firehose", "Loads streaming data into S3, Redshift, OpenSearch and others.", "kinesis"),
    ("kinesis-data-analytics", "Amazon Kinesis Data Analytics", "Kinesis Data Analytics", "A", "KDA|Managed Service for Apache Flink|Amazon Managed Service for Apache Flink", "Analyses streams with SQL or Apache Flink.", "kinesis"),
    ("kinesis-video-streams", "Amazon Kinesis Video Streams", "Kinesis Video Streams", "A", "KVS", "Ingests and stores video streams.", "kinesis"),
    ("kinesis-agent", "Amazon Kinesis Agent", "Kinesis Agent", "A", "", "A Java agent that ships files to Kinesis.", "kinesis"),
    ("kpl", "Kinesis Producer Library", "Kinesis Producer Library", "A", "KPL", "A library for efficient writes to Kinesis Data Streams.", "kinesis"),
    ("kcl", "Kinesis Client Library", "Kinesis Client Library", "A", "KCL", "A library for consuming Kinesis Data Streams.", "kinesis"),
    ("msk", "Amazon Managed Streaming for Apache Kafka", "MSK", "A", "Managed Streaming for Apache Kafka|Amazon MSK", "Managed Apache Kafka clusters."),
    ("athena", "Amazon Athena", "Athena", "A", "", "Serverless SQL queries over data in S3."),
    ("glue", "AWS Glue", "Glue", "A", "Glue job|Glue jobs|Glue crawler|Glue crawlers|Glue ETL", "Serverless ETL and data catalog.", None, True),
    ("glue-data-catalog", "AWS Glue Data Catalog", "Glue Data Catalog", "A", "Data Catalog", "A central metadata catalog for analytics.", "glue"),
    ("glue-databrew", "AWS Glue DataBrew", "Glue DataBrew", "A", "DataBrew", "Visual data preparation.", "glue"),
    ("emr", "Amazon EMR", "EMR", "A", "Elastic MapReduce", "Managed Hadoop and Spark clusters."),
    ("opensearch", "Amazon OpenSearch Service", "OpenSearch Service", "A", "OpenSearch|Amazon OpenSearch|Elasticsearch|Elasticsearch Service|Amazon Elasticsearch|Amazon ES|ES|ES cluster|ES clusters|ES domain|ES domains", "Managed OpenSearch (formerly Elasticsearch) clusters."),
    ("quicksight", "Amazon QuickSight", "QuickSight", "A", "Quick Sight", "Business intelligence dashboards."),
    ("lake-formation", "AWS Lake Formation", "Lake Formation", "A", "", "Builds and secures data lakes on S3."),
    ("data-exchange", "AWS Data Exchange", "Data Exchange", "A", "", "Finds and subscribes to third-party data."),
    ("data-pipeline", "AWS Data Pipeline", "Data Pipeline", "A", "", "Moves and transforms data on a schedule (legacy).", None, True),
    ("cloudsearch", "Amazon CloudSearch", "CloudSearch", "A", "", "Managed search for websites and apps."),
    ("datazone", "Amazon DataZone", "DataZone", "A", "", "Catalogues and shares data across an organisation."),
    # --- Machine Learning
    ("sagemaker", "Amazon SageMaker", "SageMaker", "L", "Sage Maker", "Builds, trains and deploys machine learning models."),
    ("rekognition", "Amazon Rekognition", "Rekognition", "L", "", "Image and video analysis."),
    ("comprehend", "Amazon Comprehend", "Comprehend", "L", "Comprehend Medical", "Natural language processing.", None, True),
    ("translate", "Amazon Translate", "Translate", "L", "", "Machine translation.", None, True),
    ("transcribe", "Amazon Transcribe", "Transcribe", "L", "", "Speech to text.", None, True),
    ("polly", "Amazon Polly", "Polly", "L", "", "Text to speech."),
    ("lex", "Amazon Lex", "Lex", "L", "", "Conversational chatbots."),
    ("textract", "Amazon Textract", "Textract", "L", "", "Extracts text and data from documents."),
    ("kendra", "Amazon Kendra", "Kendra", "L", "", "Intelligent document search."),
    ("personalize", "Amazon Personalize", "Personalize", "L", "", "Real-time recommendations.", None, True),
    ("forecast", "Amazon Forecast", "Forecast", "L", "", "Time-series forecasting.", None, True),
    ("fraud-detector", "Amazon Fraud Detector", "Fraud Detector", "L", "", "Detects online fraud."),
    ("bedrock", "Amazon Bedrock", "Bedrock", "L", "", "Foundation models through an API.", None, True),
    ("q", "Amazon Q", "Amazon Q", "L", "", "A generative AI assistant for work and for AWS."),
    ("codewhisperer", "Amazon CodeWhisperer", "CodeWhisperer", "L", "", "AI code suggestions; now part of Amazon Q Developer."),
    ("augmented-ai", "Amazon Augmented AI", "Augmented AI", "L", "A2I", "Human review of machine learning predictions."),
    ("lookout-for-metrics", "Amazon Lookout for Metrics", "Lookout for Metrics", "L", "", "Finds anomalies in metrics."),
    ("deepracer", "AWS DeepRacer", "DeepRacer", "L", "", "A racing car for learning reinforcement learning."),
    ("healthlake", "AWS HealthLake", "HealthLake", "L", "", "Stores and analyses health data."),
    # --- Developer Tools
    ("codecommit", "AWS CodeCommit", "CodeCommit", "T", "Code Commit", "Managed private Git repositories."),
    ("codebuild", "AWS CodeBuild", "CodeBuild", "T", "Code Build", "Managed build and test service."),
    ("codedeploy", "AWS CodeDeploy", "CodeDeploy", "T", "Code Deploy|CodeDeploy Agent", "Automates deployments to EC2, Lambda, ECS and servers."),
    ("codepipeline", "AWS CodePipeline", "CodePipeline", "T", "Code Pipeline", "Continuous delivery pipelines."),
    ("codeartifact", "AWS CodeArtifact", "CodeArtifact", "T", "", "A managed package repository."),
    ("codestar", "AWS CodeStar", "CodeStar", "T", "", "Project templates for CI/CD (retired)."),
    ("codeguru", "Amazon CodeGuru", "CodeGuru", "T", "CodeGuru Reviewer|CodeGuru Profiler", "Automated code reviews and runtime profiling."),
    ("codecatalyst", "Amazon CodeCatalyst", "CodeCatalyst", "T", "", "A unified software development service."),
    ("cloud9", "AWS Cloud9", "Cloud9", "T", "", "A cloud IDE in the browser."),
    ("x-ray", "AWS X-Ray", "X-Ray", "T", "XRay|X Ray|X-Ray daemon", "Traces requests through distributed applications."),
    ("amplify", "AWS Amplify", "Amplify", "F", "Amplify Hosting|Amplify Studio", "Builds and hosts full-stack web and mobile apps.", None, True),
    ("device-farm", "AWS Device Farm", "Device Farm", "F", "", "Tests apps on real mobile devices and browsers."),
    ("location-service", "Amazon Location Service", "Location Service", "F", "", "Maps and location data for apps."),
    # --- Migration & Transfer
    ("dms", "AWS Database Migration Service", "DMS", "G", "Database Migration Service", "Migrates and replicates databases into AWS."),
    ("migration-evaluator", "Migration Evaluator", "Migration Evaluator", "G", "TSO Logic", "Builds a business case for moving on-premises servers to AWS."),
    ("sct", "AWS Schema Conversion Tool", "Schema Conversion Tool", "G", "SCT", "Converts database schemas between engines."),
    ("datasync", "AWS DataSync", "DataSync", "G", "Data Sync|DataSync agent", "Moves file data between on-premises storage and AWS."),
    ("transfer-family", "AWS Transfer Family", "Transfer Family", "G", "AWS Transfer for SFTP|Transfer for SFTP|AWS Transfer for FTP|AWS Transfer for FTPS", "Managed SFTP, FTPS and FTP into S3 or EFS."),
    ("snow-family", "AWS Snow Family", "Snow Family", "G", "Snow devices", "Physical devices that carry data to and from AWS."),
    ("snowball", "AWS Snowball", "Snowball", "G", "Snowball Edge|Snowball Edge Storage Optimized|Snowball Edge Compute Optimized", "A rugged device for moving terabytes into AWS.", "snow-family", True),
    ("snowcone", "AWS Snowcone", "Snowcone", "G", "", "The smallest Snow device.", "snow-family"),
    ("snowmobile", "AWS Snowmobile", "Snowmobile", "G", "", "A shipping container for exabyte-scale transfers.", "snow-family"),
    ("opshub", "AWS OpsHub", "OpsHub", "G", "", "A desktop app for managing Snow devices.", "snow-family"),
    ("application-migration-service", "AWS Application Migration Service", "Application Migration Service", "G", "MGN|CloudEndure Migration", "Lift-and-shift server migration."),
    ("server-migration-service", "AWS Server Migration Service", "Server Migration Service", "G", "", "The retired service that replicated on-premises VMs into AMIs."),
    ("application-discovery-service", "AWS Application Discovery Service", "Application Discovery Service", "G", "Discovery Service|Application Discovery Agent|Agentless Discovery Connector", "Discovers on-premises servers for migration planning."),
    ("migration-hub", "AWS Migration Hub", "Migration Hub", "G", "", "Tracks migrations across tools."),
    # --- Cost Management
    ("cost-explorer", "AWS Cost Explorer", "Cost Explorer", "$", "", "Visualises and forecasts your spending."),
    ("budgets", "AWS Budgets", "Budgets", "$", "", "Alerts when cost or usage passes a budget.", None, True),
    ("cost-and-usage-report", "AWS Cost and Usage Report", "Cost and Usage Report", "$", "CUR|Cost & Usage Report", "The most detailed billing data."),
    ("savings-plans", "Savings Plans", "Savings Plans", "$", "Savings Plan|Compute Savings Plans", "A spend commitment for lower compute prices."),
    ("pricing-calculator", "AWS Pricing Calculator", "Pricing Calculator", "$", "", "Estimates the cost of an architecture."),
    ("billing-conductor", "AWS Billing Conductor", "Billing Conductor", "$", "", "Custom billing views for groups of accounts."),
    # --- End User & Business, IoT, Media, Frontend
    ("workspaces", "Amazon WorkSpaces", "WorkSpaces", "E", "Work Spaces", "Managed virtual desktops."),
    ("alexa-for-business", "Alexa for Business", "Alexa for Business", "E", "", "Alexa devices and skills for the workplace (retired)."),
    ("appstream", "Amazon AppStream 2.0", "AppStream 2.0", "E", "AppStream", "Streams desktop applications to a browser."),
    ("connect", "Amazon Connect", "Connect", "E", "", "A cloud contact centre.", None, True),
    ("ses", "Amazon Simple Email Service", "SES", "E", "Simple Email Service", "Sends and receives email."),
    ("pinpoint", "Amazon Pinpoint", "Pinpoint", "E", "", "Targeted marketing messages.", None, True),
    ("chime", "Amazon Chime", "Chime", "E", "", "Meetings, chat and calls.", None, True),
    ("workdocs", "Amazon WorkDocs", "WorkDocs", "E", "", "Document storage and collaboration."),
    ("iot-core", "AWS IoT Core", "IoT Core", "O", "AWS IoT", "Connects devices to the cloud with MQTT."),
    ("iot-device-defender", "AWS IoT Device Defender", "IoT Device Defender", "O", "Device Defender", "Audits and monitors the security of IoT devices."),
    ("iot-device-management", "AWS IoT Device Management", "IoT Device Management", "O", "", "Registers, organises and updates fleets of IoT devices."),
    ("iot-1-click", "AWS IoT 1-Click", "IoT 1-Click", "O", "", "Simple devices that trigger Lambda functions (retired)."),
    ("iot-greengrass", "AWS IoT Greengrass", "IoT Greengrass", "O", "Greengrass", "Runs AWS code on edge devices."),
    ("iot-analytics", "AWS IoT Analytics", "IoT Analytics", "O", "", "Analytics for IoT data."),
    ("iot-events", "AWS IoT Events", "IoT Events", "O", "", "Detects events from IoT sensors."),
    ("iot-sitewise", "AWS IoT SiteWise", "IoT SiteWise", "O", "SiteWise", "Collects industrial equipment data."),
    ("elemental-mediaconvert", "AWS Elemental MediaConvert", "MediaConvert", "V", "Elemental MediaConvert", "File-based video transcoding."),
    ("elastic-transcoder", "Amazon Elastic Transcoder", "Elastic Transcoder", "V", "", "Legacy media transcoding in the cloud."),
    ("ivs", "Amazon Interactive Video Service", "IVS", "V", "Interactive Video Service", "Managed live streaming."),
    ("ground-station", "AWS Ground Station", "Ground Station", "O", "", "Satellite communication as a service."),
    ("braket", "Amazon Braket", "Braket", "L", "", "Quantum computing experiments."),
    ("sumerian", "Amazon Sumerian", "Sumerian", "F", "", "3D and VR scenes (retired)."),
    # --- building blocks and sub-features added with the botocore pass
    ("direct-connect-gateway", "AWS Direct Connect Gateway", "Direct Connect Gateway", "N", "DX Gateway|DX gateways|Direct Connect Gateways|DXGW", "Links one Direct Connect connection to VPCs in many Regions.", "direct-connect"),
    ("transit-gateway-attachment", "Transit Gateway Attachment", "Transit Gateway Attachment", "N", "Transit Gateway Attachments|TGW attachment|TGW attachments", "The link of one VPC, VPN or Direct Connect gateway to a transit gateway.", "transit-gateway"),
    ("gateway-load-balancer-endpoint", "Gateway Load Balancer Endpoint", "Gateway Load Balancer Endpoint", "N", "Gateway Load Balancer Endpoints|GWLBE", "A VPC endpoint that sends traffic through a Gateway Load Balancer.", "vpc-endpoint"),
    ("subnet", "VPC Subnet", "Subnet", "N", "Subnets|public subnet|public subnets|private subnet|private subnets", "A range of a VPC's addresses in one Availability Zone.", "vpc", True),
    ("route-table", "VPC Route Table", "Route Table", "N", "Route Tables", "The routes that decide where a subnet's traffic goes.", "vpc"),
    ("bucket-policy", "Amazon S3 Bucket Policy", "S3 Bucket Policy", "X", "S3 Bucket Policies|Bucket Policy|Bucket Policies", "A resource-based JSON policy attached to an S3 bucket.", "s3"),
    ("iam-identity-based-policy", "IAM Identity-Based Policy", "Identity-Based Policy", "X", "Identity-Based Policies|Identity Based Policy|Identity Based Policies|IAM managed policy|IAM managed policies|inline policy|inline policies", "A policy attached to a user, group or role.", "iam"),
    ("iam-resource-based-policy", "IAM Resource-Based Policy", "Resource-Based Policy", "X", "Resource-Based Policies|Resource Based Policy|Resource Based Policies", "A policy attached to a resource, naming who may use it.", "iam"),
    ("permissions-boundary", "IAM Permissions Boundary", "Permissions Boundary", "X", "Permissions Boundaries|Permission Boundary|Permission Boundaries", "The most permissions an identity-based policy can grant a user or role.", "iam"),
    ("iam-trust-policy", "IAM Role Trust Policy", "Trust Policy", "X", "Trust Policies|Role Trust Policy", "Says who may assume an IAM role.", "iam"),
    ("kms-key-policy", "AWS KMS Key Policy", "KMS Key Policy", "X", "KMS Key Policies|Key Policy|Key Policies", "The resource policy that controls access to a KMS key.", "kms"),
    ("sqs-standard-queue", "Amazon SQS Standard Queue", "SQS Standard Queue", "I", "SQS Standard Queues|Standard Queue|Standard Queues", "An SQS queue with best-effort ordering and at-least-once delivery.", "sqs"),
    ("sqs-dead-letter-queue", "Amazon SQS Dead-Letter Queue", "SQS Dead-Letter Queue", "I", "Dead-Letter Queue|Dead-Letter Queues|Dead Letter Queue|Dead Letter Queues|DLQ|DLQs|SQS DLQ", "A queue that keeps messages which failed processing too often.", "sqs"),
    ("sns-standard-topic", "Amazon SNS Standard Topic", "SNS Standard Topic", "I", "SNS Standard Topics|Standard Topic|Standard Topics", "An SNS topic with best-effort ordering and high throughput.", "sns"),
    ("s3-express-one-zone", "Amazon S3 Express One Zone", "S3 Express One Zone", "S", "Express One Zone|S3 Express", "A single-AZ S3 class with single-digit millisecond access.", "s3"),
    ("s3-reduced-redundancy", "Amazon S3 Reduced Redundancy Storage", "S3 Reduced Redundancy Storage", "S", "Reduced Redundancy Storage|S3 RRS|RRS", "A retired S3 class with lower durability; S3 Standard replaced it.", "s3"),
    ("s3-storage-class-analysis", "Amazon S3 Storage Class Analysis", "S3 Storage Class Analysis", "S", "S3 Analytics|Storage Class Analysis", "Watches access patterns to suggest when to move objects to another class.", "s3"),
    ("s3-storage-lens", "Amazon S3 Storage Lens", "S3 Storage Lens", "S", "Storage Lens", "Organisation-wide metrics about S3 usage and activity.", "s3"),
    ("s3-batch-operations", "Amazon S3 Batch Operations", "S3 Batch Operations", "S", "S3 Batch", "Runs one operation on many S3 objects.", "s3"),
    ("s3-requester-pays", "Amazon S3 Requester Pays", "S3 Requester Pays", "S", "Requester Pays", "Bucket setting that bills the downloader for requests and transfer.", "s3"),
    ("s3-versioning", "Amazon S3 Versioning", "S3 Versioning", "S", "", "Keeps every version of each object in a bucket.", "s3"),
    ("s3-mfa-delete", "Amazon S3 MFA Delete", "S3 MFA Delete", "S", "MFA Delete", "Requires MFA to delete object versions or change versioning.", "s3"),
    ("ebs-gp3", "Amazon EBS General Purpose SSD (gp3)", "EBS gp3", "S", "gp3|gp3 volume|gp3 volumes", "The current general-purpose SSD volume with IOPS set apart from size.", "ebs"),
    ("ebs-gp2", "Amazon EBS General Purpose SSD (gp2)", "EBS gp2", "S", "gp2|gp2 volume|gp2 volumes", "The older general-purpose SSD volume whose IOPS grow with size.", "ebs"),
    ("ebs-provisioned-iops", "Amazon EBS Provisioned IOPS SSD", "EBS Provisioned IOPS SSD", "S", "Provisioned IOPS SSD|io1|io2|io2 Block Express|PIOPS", "SSD volumes with the IOPS you provision, for databases.", "ebs"),
    ("ebs-throughput-optimized-hdd", "Amazon EBS Throughput Optimized HDD (st1)", "EBS Throughput Optimized HDD", "S", "Throughput Optimized HDD|st1", "Low-cost HDD volumes for large sequential workloads.", "ebs"),
    ("ebs-cold-hdd", "Amazon EBS Cold HDD (sc1)", "EBS Cold HDD", "S", "Cold HDD|sc1", "The cheapest HDD volumes for rarely read data.", "ebs"),
    ("ebs-multi-attach", "Amazon EBS Multi-Attach", "EBS Multi-Attach", "S", "Multi-Attach", "Attaches one io1/io2 volume to several instances in one AZ.", "ebs"),
    ("capacity-reservations", "Amazon EC2 On-Demand Capacity Reservations", "Capacity Reservations", "C", "Capacity Reservation|On-Demand Capacity Reservations|On-Demand Capacity Reservation|EC2 Capacity Reservations", "Reserves EC2 capacity in one AZ for any length of time.", "ec2"),
    ("convertible-reserved-instances", "Amazon EC2 Convertible Reserved Instances", "Convertible Reserved Instances", "C", "Convertible Reserved Instance|Convertible RI|Convertible RIs", "Reserved Instances whose instance family can be changed.", "ec2"),
    ("ec2-hibernate", "Amazon EC2 Hibernate", "EC2 Hibernate", "C", "EC2 Hibernation", "Stops an instance with its memory saved to the root volume.", "ec2"),
    ("ecs-service-auto-scaling", "Amazon ECS Service Auto Scaling", "ECS Service Auto Scaling", "K", "Service Auto Scaling", "Changes the desired task count of an ECS service with load.", "ecs"),
    ("ecs-capacity-providers", "Amazon ECS Capacity Providers", "ECS Capacity Providers", "K", "Capacity Provider|Capacity Providers|ECS Capacity Provider", "Tells ECS where tasks get their compute (Fargate, Auto Scaling groups).", "ecs"),
    ("emr-on-eks", "Amazon EMR on EKS", "EMR on EKS", "A", "", "Runs EMR's Spark jobs on an EKS cluster.", "emr"),
    ("sagemaker-studio", "Amazon SageMaker Studio", "SageMaker Studio", "L", "", "A web IDE for machine learning.", "sagemaker"),
    ("sagemaker-ground-truth", "Amazon SageMaker Ground Truth", "SageMaker Ground Truth", "L", "Ground Truth", "Labels training data with people and ML.", "sagemaker"),
    ("sagemaker-canvas", "Amazon SageMaker Canvas", "SageMaker Canvas", "L", "", "Builds ML models without code.", "sagemaker"),
    ("sagemaker-autopilot", "Amazon SageMaker Autopilot", "SageMaker Autopilot", "L", "", "Trains and tunes models automatically from tabular data.", "sagemaker"),
    ("sagemaker-feature-store", "Amazon SageMaker Feature Store", "SageMaker Feature Store", "L", "Feature Store", "Stores and shares ML features.", "sagemaker"),
    ("sagemaker-clarify", "Amazon SageMaker Clarify", "SageMaker Clarify", "L", "", "Detects bias and explains model predictions.", "sagemaker"),
    ("sagemaker-model-monitor", "Amazon SageMaker Model Monitor", "SageMaker Model Monitor", "L", "Model Monitor", "Watches deployed models for drift.", "sagemaker"),
    ("sagemaker-jumpstart", "Amazon SageMaker JumpStart", "SageMaker JumpStart", "L", "JumpStart", "Ready-made models and solutions to start from.", "sagemaker"),
    ("sagemaker-data-wrangler", "Amazon SageMaker Data Wrangler", "SageMaker Data Wrangler", "L", "Data Wrangler", "Prepares data for ML visually.", "sagemaker"),
    ("rekognition-video", "Amazon Rekognition Video", "Rekognition Video", "L", "", "Rekognition's analysis of stored and streaming video.", "rekognition"),
    ("transcribe-medical", "Amazon Transcribe Medical", "Transcribe Medical", "L", "", "Speech to text for clinical conversations.", "transcribe"),
    ("quicksight-spice", "Amazon QuickSight SPICE", "QuickSight SPICE", "A", "SPICE", "QuickSight's in-memory engine for fast dashboards.", "quicksight"),
    ("athena-federated-query", "Amazon Athena Federated Query", "Athena Federated Query", "A", "Federated Query", "Athena queries over sources other than S3 through connectors.", "athena"),
    ("glue-studio", "AWS Glue Studio", "Glue Studio", "A", "", "A visual editor for Glue ETL jobs.", "glue"),
    ("kinesis-connector-library", "Amazon Kinesis Connector Library", "Kinesis Connector Library", "A", "Kinesis Connector", "A library that moves records from Kinesis into other AWS stores (legacy).", "kinesis"),
    ("kinesis-storm-spout", "Amazon Kinesis Storm Spout", "Kinesis Storm Spout", "A", "Storm Spout", "A library that feeds Kinesis records into Apache Storm.", "kinesis"),
    ("storage-gateway-hardware-appliance", "AWS Storage Gateway Hardware Appliance", "Storage Gateway Hardware Appliance", "S", "Hardware Appliance", "A physical server with Storage Gateway installed, for sites without virtualisation.", "storage-gateway"),
    ("event-fork-pipelines", "AWS Event Fork Pipelines", "Event Fork Pipelines", "I", "Event Fork Pipeline", "Ready-made serverless pipelines that process SNS events.", "sns"),
    ("ec2-classic", "Amazon EC2-Classic", "EC2-Classic", "C", "EC2 Classic", "The retired flat network of early EC2; VPC replaced it.", "ec2"),
    ("deeplens", "AWS DeepLens", "DeepLens", "L", "", "A retired deep-learning video camera for developers.", None),
    ("honeycode", "Amazon Honeycode", "Honeycode", "E", "", "A retired no-code app builder.", None, True),
    ("worklink", "Amazon WorkLink", "WorkLink", "E", "", "Retired secure mobile access to internal sites.", None),
    ("lookout-for-vision", "Amazon Lookout for Vision", "Lookout for Vision", "L", "", "Retired visual defect detection.", None),
    ("inspector-classic", "Amazon Inspector Classic", "Inspector Classic", "X", "", "The first version of Inspector, replaced by the current Inspector.", "inspector"),
    ("macie-classic", "Amazon Macie Classic", "Macie Classic", "X", "", "The first version of Macie, replaced by the current Macie.", "macie"),
    ("cloudendure", "CloudEndure", "CloudEndure", "G", "", "The company tools behind Application Migration Service and Elastic Disaster Recovery.", None),
    ("elastic-inference", "Amazon Elastic Inference", "Elastic Inference", "L", "", "Retired GPU acceleration attached to instances for inference.", None),
    ("cloudwatch-metric-streams", "Amazon CloudWatch Metric Streams", "CloudWatch Metric Streams", "M", "Metric Streams|CloudWatch Metric Stream", "Streams CloudWatch metrics to Firehose in near real time.", "cloudwatch"),
    ("cloudwatch-contributor-insights", "Amazon CloudWatch Contributor Insights", "CloudWatch Contributor Insights", "M", "Contributor Insights", "Finds the top contributors in log data.", "cloudwatch"),
    ("cloudwatch-container-insights", "Amazon CloudWatch Container Insights", "CloudWatch Container Insights", "M", "Container Insights", "Metrics and logs of containerised apps.", "cloudwatch"),
    ("cloudwatch-lambda-insights", "Amazon CloudWatch Lambda Insights", "CloudWatch Lambda Insights", "M", "Lambda Insights", "Metrics and logs of Lambda functions.", "cloudwatch"),
    ("cloudtrail-insights", "AWS CloudTrail Insights", "CloudTrail Insights", "M", "", "Detects unusual API activity in CloudTrail.", "cloudtrail"),
    ("cloudtrail-lake", "AWS CloudTrail Lake", "CloudTrail Lake", "M", "", "Stores and queries CloudTrail events with SQL.", "cloudtrail"),
    ("config-conformance-packs", "AWS Config Conformance Packs", "Config Conformance Packs", "M", "Conformance Pack|Conformance Packs", "Bundles of Config rules and remediations.", "config"),
    ("ssm-automation", "AWS Systems Manager Automation", "Systems Manager Automation", "M", "SSM Automation|SSM Automation documents", "Runbooks that automate operational tasks.", "systems-manager"),
    ("ssm-state-manager", "AWS Systems Manager State Manager", "Systems Manager State Manager", "M", "State Manager", "Keeps instances in a defined configuration.", "systems-manager"),
    ("ssm-inventory", "AWS Systems Manager Inventory", "Systems Manager Inventory", "M", "SSM Inventory", "Collects software and configuration data from instances.", "systems-manager"),
    ("ssm-opscenter", "AWS Systems Manager OpsCenter", "Systems Manager OpsCenter", "M", "OpsCenter", "Collects operational issues to investigate.", "systems-manager"),
    ("ssm-maintenance-windows", "AWS Systems Manager Maintenance Windows", "Systems Manager Maintenance Windows", "M", "Maintenance Windows|Maintenance Window", "Schedules for running tasks on instances.", "systems-manager"),
]
# fmt: on


# --- the botocore pass

# Models that are an API of a service rather than a service (runtimes, data planes, clients of
# another service's features) or a second version of one already read.
SKIP_PATTERN = re.compile(
    r"(?:-|^)(?:runtime|data|query|write|events|control|auth|media|signaling|"
    r"webrtc-storage|archived-media|recovery-cluster)$|runtime$|v2$|-vod$|"
    r"^(?:partnercentral|marketplace-|marketplacecommerce|meteringmarketplace|"
    r"apigatewaymanagement|cloudsearchdomain|bcm-|lexv2|lex-models|sso-|ssm-guiconnect|geo-)"
)
SKIP = {
    "abuse-signal",
    "account",
    "account-access",
    "agent-discovery",
    "agent-registry",
    "apiportal",
    "cloudcontrol",
    "continuum",
    "devops-agent",
    "eks-auth",
    "freetier",
    "iam-toolbox",
    "identitystore",
    "inspector-scan",
    "interconnect",
    "invoicing",
    "lambda-core",
    "lambda-microvms",
    "lambda-web",
    "mwaa-serverless",
    "nova-act",
    "odb",
    "payments",
    "pricing-plan-manager",
    "resourcegroupstaggingapi",
    "s3control",
    "securityagent",
    "signin",
    "simpledbv2",
    "supportauthz",
    "sustainability",
    "taxsettings",
    "uxc",
    "wickr",
    "aiops",
    "billing",
    "compute-optimizer-automation",
    "cloudwatchomni",
    "elementalinference",
    "opensearchmemory",
    "s3files",
    "network-security-manager",
    "route53globalresolver",
    "sms-voice",
    "connecthealth",
    "connectscheduling",
    "importexport",
    "dynamodb",
    "appconfigdata",
    "forecastquery",
    "neptunedata",
    "location",
}
# Models whose names the hand table spells differently: botocore name -> entry id.
SAME = {
    "amp": "managed-prometheus",
    "cloudhsmv2": "cloudhsm",
    "cognito-identity": "cognito-identity-pools",
    "cognito-idp": "cognito-user-pools",
    "docdb": "documentdb",
    "fms": "firewall-manager",
    "greengrassv2": "iot-greengrass",
    "health": "health-dashboard",
    "inspector2": "inspector",
    "kafka": "msk",
    "kinesisanalytics": "kinesis-data-analytics",
    "macie2": "macie",
    "synthetics": "cloudwatch-synthetics",
    "waf-regional": "waf",
    "wafv2": "waf",
    "sesv2": "ses",
    "pipes": "eventbridge",
    "scheduler": "eventbridge",
}
# Names botocore writes squashed or as an API: the product's own name.
NAME_FIX = {
    "acm-pca": "AWS Private Certificate Authority",
    "appfabric": "AWS AppFabric",
    "evs": "Amazon Elastic VMware Service",
    "pcs": "AWS Parallel Computing Service",
    "amplifybackend": "AWS Amplify Admin UI",
    "appintegrations": "Amazon AppIntegrations",
    "connectcampaigns": "Amazon Connect Outbound Campaigns",
    "deadline": "AWS Deadline Cloud",
    "entityresolution": "AWS Entity Resolution",
    "forecast": "Amazon Forecast",
    "kendra": "Amazon Kendra",
    "m2": "AWS Mainframe Modernization",
    "mailmanager": "Amazon SES Mail Manager",
    "pca-connector-ad": "AWS Private CA Connector for Active Directory",
    "pca-connector-scep": "AWS Private CA Connector for SCEP",
    "payment-cryptography": "AWS Payment Cryptography",
    "qapps": "Amazon Q Apps",
    "qbusiness": "Amazon Q Business",
    "rtbfabric": "AWS RTB Fabric",
    "schemas": "Amazon EventBridge Schema Registry",
    "securityhub": "AWS Security Hub",
    "serverlessrepo": "AWS Serverless Application Repository",
    "billingconductor": "AWS Billing Conductor",
    "trustedadvisor": "AWS Trusted Advisor",
    "arc-region-switch": "Amazon Application Recovery Controller Region switch",
    "arc-zonal-shift": "Amazon Application Recovery Controller Zonal Shift",
    "route53-recovery-control-config": "Amazon Application Recovery Controller",
    "route53-recovery-readiness": "Amazon Route 53 Recovery Readiness",
    "dsql": "Amazon Aurora DSQL",
    "pi": "Amazon RDS Performance Insights",
    "rds-data": "Amazon RDS Data API",
    "redshift-data": "Amazon Redshift Data API",
    "ssm-incidents": "AWS Systems Manager Incident Manager",
    "ssm-sap": "AWS Systems Manager for SAP",
    "rolesanywhere": "AWS IAM Roles Anywhere",
    "opensearchserverless": "Amazon OpenSearch Serverless",
    "emr-serverless": "Amazon EMR Serverless",
    "redshift-serverless": "Amazon Redshift Serverless",
    "support-app": "AWS Support App in Slack",
    "cost-optimization-hub": "AWS Cost Optimization Hub",
    "service-quotas": "AWS Service Quotas",
    "security-ir": "AWS Security Incident Response",
    "networkflowmonitor": "Amazon CloudWatch Network Flow Monitor",
    "route53profiles": "Amazon Route 53 Profiles",
    "kafkaconnect": "Amazon MSK Connect",
    "timestream-influxdb": "Amazon Timestream for InfluxDB",
    "lookoutequipment": "Amazon Lookout for Equipment",
    "iot-managed-integrations": "AWS IoT Device Management Managed Integrations",
    "iotdeviceadvisor": "AWS IoT Core Device Advisor",
    "mturk": "Amazon Mechanical Turk",
    "braket": "Amazon Braket",
    "sagemaker-edge": "Amazon SageMaker Edge Manager",
    "sagemaker-geospatial": "Amazon SageMaker geospatial capabilities",
    "medical-imaging": "AWS HealthImaging",
    "socialmessaging": "AWS End User Messaging Social",
    "oam": "Amazon CloudWatch Observability Access Manager",
    "observabilityadmin": "Amazon CloudWatch Observability Admin",
    "notifications": "AWS User Notifications",
    "notificationscontacts": "AWS User Notifications Contacts",
    "pinpoint-email": "Amazon Pinpoint Email",
    "pinpoint-sms-voice": "Amazon Pinpoint SMS and Voice",
    "rum": "Amazon CloudWatch RUM",
    "repostspace": "AWS re:Post Private",
}
# Parents of entries from botocore that belong to a family of the table.
BOTO_PARENT = {
    "acm-pca": "certificate-manager",
    "application-insights": "cloudwatch",
    "application-signals": "cloudwatch",
    "internetmonitor": "cloudwatch",
    "networkmonitor": "cloudwatch",
    "networkflowmonitor": "cloudwatch",
    "rum": "cloudwatch",
    "oam": "cloudwatch",
    "observabilityadmin": "cloudwatch",
    "ssm-incidents": "systems-manager",
    "ssm-contacts": "systems-manager",
    "ssm-quicksetup": "systems-manager",
    "ssm-sap": "systems-manager",
    "pi": "rds",
    "rds-data": "rds",
    "redshift-data": "redshift",
    "redshift-serverless": "redshift",
    "emr-serverless": "emr",
    "emr-containers": "emr",
    "opensearchserverless": "opensearch",
    "osis": "opensearch",
    "dsql": "aurora",
    "s3outposts": "s3",
    "s3tables": "s3",
    "s3vectors": "s3",
    "ecr-public": "ecr",
    "docdb-elastic": "documentdb",
    "neptune-graph": "neptune",
    "kafkaconnect": "msk",
    "ec2-instance-connect": "ec2",
    "imagebuilder": "ec2",
    "rolesanywhere": "iam",
    "route53domains": "route-53",
    "route53resolver": "route-53",
    "route53profiles": "route-53",
    "route53-recovery-readiness": "route-53",
    "backup-gateway": "backup",
    "backupsearch": "backup",
    "cloudfront-keyvaluestore": "cloudfront",
    "codeguru-security": "codeguru",
    "connect-contact-lens": "connect",
    "connectcampaigns": "connect",
    "connectcases": "connect",
    "connectparticipant": "connect",
    "customer-profiles": "connect",
    "wisdom": "connect",
    "qconnect": "connect",
    "voice-id": "connect",
    "kendra-ranking": "kendra",
    "bedrock-agent": "bedrock",
    "bedrock-agentcore": "bedrock",
    "bedrock-data-automation": "bedrock",
    "qapps": "q",
    "qbusiness": "q",
    "timestream-influxdb": "timestream",
    "keyspacesstreams": "keyspaces",
    "amplifyuibuilder": "amplify",
    "amplifybackend": "amplify",
    "gameliftstreams": "gamelift",
    "ivs-realtime": "ivs",
    "ivschat": "ivs",
    "iotdeviceadvisor": "iot-core",
    "workspaces-thin-client": "workspaces",
    "workspaces-web": "workspaces",
    "workspaces-instances": "workspaces",
    "workmailmessageflow": "workmail",
    "mailmanager": "ses",
    "pinpoint-email": "pinpoint",
    "pinpoint-sms-voice": "pinpoint",
    "socialmessaging": "end-user-messaging",
    "cleanroomsml": "clean-rooms",
    "managedblockchain-query": "managed-blockchain",
    "servicecatalog-appregistry": "service-catalog",
    "migration-hub-refactor-spaces": "migration-hub",
    "migrationhub-config": "migration-hub",
    "migrationhuborchestrator": "migration-hub",
    "migrationhubstrategy": "migration-hub",
    "notificationscontacts": "user-notifications",
    "pca-connector-ad": "certificate-manager",
    "pca-connector-scep": "certificate-manager",
    "sagemaker-edge": "sagemaker",
    "sagemaker-geospatial": "sagemaker",
    "sagemaker-metrics": "sagemaker",
    "codestar-connections": "codestar",
    "codestar-notifications": "codestar",
    "resiliencehub": None,
    "snow-device-management": "snow-family",
    "support-app": "support",
    "autoscaling-plans": "ec2-auto-scaling",
    "arc-zonal-shift": "application-recovery-controller",
    "arc-region-switch": "application-recovery-controller",
    "greengrass": "iot-greengrass",
}
# Entry categories by the first word of the botocore name, then by words of the full name.
BOTO_CATEGORY = {
    "iot": "O",
    "media": "V",
    "ivs": "V",
    "elemental": "V",
    "gamelift": "C",
    "sagemaker": "L",
    "bedrock": "L",
    "lex": "L",
    "q": "L",
    "kendra": "L",
    "connect": "E",
    "chime": "E",
    "workspaces": "E",
    "workmail": "E",
    "pinpoint": "E",
    "wisdom": "E",
    "voice": "E",
    "customer": "E",
    "code": "T",
    "route53": "N",
    "arc": "N",
    "ssm": "M",
    "migration": "G",
    "cleanrooms": "A",
    "datazone": "A",
    "timestream": "D",
    "keyspaces": "D",
    "neptune": "D",
    "docdb": "D",
    "dsql": "D",
    "rds": "D",
    "redshift": "A",
    "emr": "A",
    "kafka": "A",
    "opensearch": "A",
    "osis": "A",
    "s3": "S",
    "backup": "S",
    "ecr": "K",
    "ec2": "C",
    "imagebuilder": "C",
    "cloudwatch": "M",
    "application": "M",
    "internetmonitor": "M",
    "networkmonitor": "M",
    "networkflowmonitor": "M",
    "rum": "M",
    "oam": "M",
    "observabilityadmin": "M",
    "amplify": "F",
    "appconfig": "M",
    "appfabric": "I",
    "appintegrations": "I",
    "b2bi": "I",
    "schemas": "I",
    "entityresolution": "A",
    "dlm": "S",
    "rbin": "S",
    "pcs": "C",
    "deadline": "C",
    "evs": "C",
    "m2": "G",
    "acm": "X",
    "pca": "X",
    "payment": "X",
    "rolesanywhere": "X",
    "security": "X",
    "securitylake": "X",
    "signer": "X",
    "mpa": "X",
    "devops": "M",
    "resiliencehub": "M",
    "resource": "M",
    "service": "M",
    "support": "M",
    "notifications": "M",
    "chatbot": "M",
    "controlcatalog": "M",
    "autoscaling": "C",
    "pi": "D",
    "omics": "L",
    "medical": "L",
    "machinelearning": "L",
    "mturk": "L",
    "lookoutequipment": "L",
    "cost": "$",
    "applicationcostprofiler": "$",
    "pricing": "$",
    "supplychain": "E",
    "endusermessaging": "E",
    "socialmessaging": "E",
    "mailmanager": "E",
    "clouddirectory": "X",
    "sdb": "D",
    "repostspace": "M",
    "groundstation": "O",
    "managedblockchain": "D",
    "networkmanager": "N",
    "cloudfront": "N",
    "snow": "G",
    "kinesis": "A",
    "kinesisanalyticsv2": "A",
    "license": "M",
    "rtbfabric": "N",
    "iottwinmaker": "O",
    "aiops": "M",
}
# One-word names from botocore that are not English words (the rest are flagged as words).
DISTINCTIVE = {"Omics"}
# Entries whose name without the prefix is an everyday phrase ("parallel computing", "machine
# learning"): the linker reads them only with their Amazon/AWS prefix or an alias.
PREFIXED = {
    "machine-learning",
    "support",
    "parallel-computing-service",
    "mainframe-modernization",
    "entity-resolution",
    "clean-rooms",
    "clean-rooms-ml",
    "security-incident-response",
    "multi-party-approval",
    "end-user-messaging",
    "network-manager",
    "control-catalog",
    "supply-chain",
    "user-notifications",
    "user-notifications-contacts",
    "payment-cryptography",
    "price-list",
    "resource-explorer",
    "recycle-bin",
    "security-lake",
    "resilience-hub",
    "application-cost-profiler",
    "cost-optimization-hub",
    "service-quotas",
    "data-automation-for-amazon-bedrock",
    "agents-for-amazon-bedrock",
    "voice-id",
    "connect-participant",
    "pinpoint-email",
    "workmail-message-flow",
    "chatbot",
    "elastic-vmware-service",
    "end-user-messaging-social",
    "q-connect",
    "q-apps",
    "q-business",
}
# Abbreviations botocore gives that are ordinary words or units in prose: never added bare.
RISKY_ABBREVIATIONS = {"RAM", "PI", "EVS", "FMS", "DRS", "MTurk", "ACM-PCA", "DLM", "B2BI"}
# Hand-picked aliases for entries that come from botocore (the spellings students use).
BOTO_ALIASES = {
    "acm-pca": "Private CA|AWS Private CA|Private Certificate Authority|ACM PCA",
    "route53resolver": "Route 53 Resolver|Route53 Resolver|Resolver endpoints|Resolver rules",
    "imagebuilder": "Image Builder",
    "ec2-instance-connect": "Instance Connect",
    "dlm": "Data Lifecycle Manager|Amazon DLM",
    "rbin": "Recycle Bin",
    "pi": "Performance Insights",
    "emr-serverless": "EMR Serverless",
    "redshift-serverless": "Redshift Serverless",
    "opensearchserverless": "OpenSearch Serverless",
    "osis": "OpenSearch Ingestion",
    "mturk": "Mechanical Turk|Amazon MTurk",
    "ram": "AWS RAM",
    "machinelearning": "Amazon ML",
    "kafkaconnect": "MSK Connect",
    "route53domains": "Route 53 Domains",
    "dsql": "Aurora DSQL",
    "devops-guru": "DevOps Guru",
    "ssm-incidents": "Incident Manager",
    "appconfig": "AppConfig",
}

_SQUASHED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CLEAN_FORM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 &@:.'/-]*$")


def _slug(name: str) -> str:
    bare = re.sub(r"^(?:Amazon|AWS)\s+", "", name)
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


def _bare(name: str) -> str:
    return re.sub(r"^(?:Amazon|AWS)\s+", "", name)


def botocore_services() -> list[tuple[str, str, str]]:
    """(model name, full name, abbreviation) of every service model botocore carries."""
    import botocore.session  # build time only: the shipped catalog is the output

    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    out = []
    for name in session.get_available_services():
        meta = loader.load_service_model(name, "service-2")["metadata"]
        out.append((name, meta.get("serviceFullName", ""), meta.get("serviceAbbreviation", "")))
    return out


def botocore_version() -> str:
    """The installed botocore's version, or '' where it is absent."""
    try:
        import botocore
    except ImportError:
        return ""
    return botocore.__version__


def _norm(name: str) -> str:
    return re.sub(
        r"[\s\-_]+", "", re.sub(r"^(?:amazon|aws)\s+", "", name.strip(), flags=re.I)
    ).lower()


def _boto_category(model: str) -> str:
    """The category code of a botocore model: the longest key its name starts with."""
    keys = [k for k in BOTO_CATEGORY if model.startswith(k)]
    return BOTO_CATEGORY[max(keys, key=len)] if keys else "M"


def hand_entries() -> list[dict]:
    """The hand table as a list of JSON-ready entries."""
    out = []
    known = {row[0] for row in ROWS}
    assert known >= VARIANTS | MEMBERS, sorted((VARIANTS | MEMBERS) - known)
    for row in ROWS:
        sid, name, short, cat, aliases, description, *rest = row
        parent = rest[0] if rest else None
        common = bool(rest[1]) if len(rest) > 1 else False
        forms = [a for a in aliases.split("|") if a]
        forms += [f.lower() for f in (short, *forms) if f in LOWERCASE]
        out.append(
            {
                "id": sid,
                "name": name,
                "short": short,
                "aliases": forms,
                "category": CATEGORIES[cat],
                "parent": parent,
                "description": description,
                "common_word": common,
                "variant": sid in VARIANTS,
                "member": sid in MEMBERS,
                "tool": sid in TOOLS,
            }
        )
    return out


def _abbreviation(abbr: str) -> str | None:
    """botocore's abbreviation as an alias, or None when it is a risky or API-only form."""
    bare = _bare(abbr.strip())
    if not bare or bare in RISKY_ABBREVIATIONS or not _CLEAN_FORM.match(bare):
        return None
    if re.fullmatch(r"[A-Z][A-Z0-9-]{2,}", bare):
        return bare
    if " " in bare and all(w[:1].isupper() or w[:1].isdigit() for w in bare.split()):
        return bare
    return None


def _full_name(model: str, full: str) -> str:
    if model in NAME_FIX:
        return NAME_FIX[model]
    name = _SQUASHED.sub(" ", full) if " " not in full else full
    name = re.sub(r"^(Amazon|AWS)(?=[A-Z])", r"\1 ", name)
    if name.endswith(" Service") and len(_bare(name).split()) > 2:
        name = name[: -len(" Service")]
    return name


def botocore_pass(entries: list[dict], services: list[tuple[str, str, str]]) -> list[dict]:
    """Add botocore's services: aliases of existing entries, or entries of their own."""
    by_id = {e["id"]: e for e in entries}
    owner: dict[str, str] = {}
    for e in entries:
        for form in (e["id"], e["name"], e["short"], *e["aliases"]):
            owner.setdefault(_norm(form), e["id"])

    def add_alias(entry: dict, form: str | None) -> None:
        if not form or not _CLEAN_FORM.match(form):
            return
        key = _norm(form)
        if key in owner:
            return  # already a name of this entry, or of another (never steal a name)
        owner[key] = entry["id"]
        entry["aliases"].append(form)

    added = []
    for model, full, abbr in services:
        if model in SKIP or SKIP_PATTERN.search(model) or not full:
            continue
        name = _full_name(model, full)
        sid = SAME.get(model)
        if sid is None:
            for form in (name, full, abbr, model):
                if form and _norm(form) in owner:
                    sid = owner[_norm(form)]
                    break
        abbreviation = _abbreviation(abbr)
        if sid is not None:  # a service the table has: botocore's names become aliases
            entry = by_id[sid]
            for form in (name, _bare(name), abbreviation):
                add_alias(entry, form)
            continue
        new_id = _slug(name)
        assert new_id not in by_id, (model, new_id)
        bare = _bare(name)
        one_word = len(bare.split()) == 1
        category = CATEGORIES[_boto_category(model)]
        entry = {
            "id": new_id,
            "name": name,
            "short": bare,
            "aliases": [],
            "category": category,
            "parent": BOTO_PARENT.get(model),
            "description": f"{bare}: an AWS service of botocore's list ({category.lower()}).",
            "common_word": one_word
            and bare not in DISTINCTIVE
            and not re.search(r"[A-Z].*[A-Z]|\d", bare),
            "variant": False,
            "member": False,
            "tool": False,
        }
        by_id[new_id] = entry
        for form in (name, bare, new_id, *(_bare(f) for f in [full] if f != name)):
            owner.setdefault(_norm(form), new_id)
        # "AWS Elemental MediaStore": the product word is what people write.
        brand = bare.removeprefix("Elemental ") if bare.startswith("Elemental ") else None
        for form in (abbreviation, brand, *BOTO_ALIASES.get(model, "").split("|")):
            add_alias(entry, form)
        added.append(entry)
    missing = [(e["id"], e["parent"]) for e in added if e["parent"] and e["parent"] not in by_id]
    assert not missing, missing
    return entries + added


def entries(services: list[tuple[str, str, str]] | None = None) -> list[dict]:
    """The catalog as a list of JSON-ready entries (botocore read when ``services`` is None)."""
    return botocore_pass(hand_entries(), botocore_services() if services is None else services)


def main() -> None:
    """Write the catalog file."""
    doc = {
        "version": 1,
        "source": f"tools/make_catalog.py: hand table + botocore {botocore_version()}",
        "ambiguous": AMBIGUOUS,
        "cased": sorted(CASED),
        "prefixed": sorted(PREFIXED),
        "contextual": {k: {"owners": o, "default": d} for k, (o, d) in CONTEXTUAL.items()},
        "services": entries(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(doc['services'])} entries)")
    if "--list" in sys.argv:
        for e in doc["services"]:
            print(
                e["id"],
                e["name"],
                e["category"],
                e["parent"],
                e["common_word"],
                e["aliases"],
                sep=" | ",
            )


if __name__ == "__main__":
    main()
