"""The one registry of diagnostic codes.

A code is defined here once, with its slug, default severity, a one-line summary and a longer
doc with an example; `h2k explain CODE` and docs/diagnostics.md are generated from this table.
Codes are grouped by stage: 0xx source, 1xx HOT, 3xx passes, 4xx Kubernetes, 5xx OpenStack,
6xx boot scripts, 9xx internal.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """Ordered so that `--fail-on` can compare: a finding fails a run when severity >= threshold."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    slug: str
    severity: Severity
    summary: str
    doc: str
    # Findings of an "io" code make the run exit 2 (the input could not be read at all).
    category: str = "finding"


def _code(id: str, slug: str, severity: Severity, summary: str, doc: str, category: str = "finding") -> Code:
    return Code(id, slug, severity, summary, doc.strip(), category)


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

_ALL = (
    # -- 0xx: source loading -------------------------------------------------------------------
    _code("H2K001", "file-too-large", E, "The file is larger than the configured size limit.", """
Heat refuses templates larger than `max_template_size` (512 KiB by default); h2k applies the
same limit so that a template it accepts is one Heat would accept too. Raise it with
`--max-file-size` when you really need more.

Example: a generated 3 MB template is refused with
`big.yaml:1:1: error: file is 3145728 bytes, over the limit of 524288 bytes [H2K001]`.
""", "io"),
    _code("H2K002", "invalid-encoding", E, "The file is not valid UTF-8.", """
Templates must be UTF-8 (a leading byte-order mark is accepted). The diagnostic points at the
first byte that does not decode.

Example: a file saved as Latin-1 with `description: café` fails at the `é`.
""", "io"),
    _code("H2K003", "yaml-syntax", E, "The file is not well-formed YAML or JSON.", """
The YAML parser stopped. The position is where the parser noticed the problem, which is often
just after the real mistake. A common cause is indentation with tab characters, which YAML
forbids.

Example:
```
resources:
\tserver:            # a tab: "found character '\\t' that cannot start any token"
```
"""),
    _code("H2K004", "duplicate-key", W, "A mapping repeats a key; the last value wins.", """
Heat loads templates with PyYAML, which silently keeps the last of several equal keys. h2k
keeps the last one too, so the result matches Heat, but reports the repetition at the later
key, because it is almost always a mistake (for example two `properties:` blocks).

Example:
```
server:
  type: OS::Nova::Server
  type: OS::Nova::ServerGroup   # H2K004: this one wins
```
"""),
    _code("H2K005", "alias-limit", E, "YAML aliases expand to more nodes than the limit allows.", """
Anchors and aliases (`&a` / `*a`) let a small document describe an enormous one (the
"billion laughs" attack). h2k computes the expanded size while loading, without expanding,
and refuses documents whose expansion exceeds `--max-yaml-nodes` (default 250,000).

Example: nine levels of nine aliases each describe 10^9 nodes and are refused at once.
""", "io"),
    _code("H2K006", "nesting-too-deep", E, "Mappings and sequences are nested deeper than the limit.", """
Deeply nested documents exhaust the stack of anything that walks them recursively. h2k
refuses nesting deeper than `--max-yaml-depth` (default 100) while parsing.

Example: `[[[[[...]]]]]` 100,000 levels deep.
""", "io"),
    _code("H2K007", "unsupported-tag", E, "A YAML tag that a safe loader does not construct.", """
Heat uses a safe YAML loader, which rejects application-specific tags such as
`!!python/object` or `!Ref`. h2k reports them instead of guessing a meaning.

Example: `image: !Ref ImageId` (a CloudFormation short form) is refused.
"""),
    _code("H2K008", "not-a-mapping", E, "The document's top level is not a mapping.", """
A template or environment file must be a YAML mapping (or a JSON object) at the top level.

Example: a file containing only `- a` or a plain string.
"""),
    _code("H2K009", "unreadable-file", E, "The file could not be read.", """
The file does not exist, is a directory, or is not readable. Nothing else is checked.

Example: `h2k check missing.yaml`.
""", "io"),
    _code("H2K010", "multiple-documents", E, "The file holds more than one YAML document.", """
Heat reads exactly one document per template; a `---` separator followed by a second
document is an error there, so it is one here.
"""),
    _code("H2K011", "unknown-format", E, "The file is neither a HOT template nor an environment file.", """
h2k recognises HOT templates (`heat_template_version`), Heat environment files
(`parameters`, `parameter_defaults`, `resource_registry`, ...), CloudFormation-format Heat
templates and TOSCA templates. Anything else is reported and skipped.
"""),
    _code("H2K012", "format-not-supported-yet", W, "A recognised input format that h2k does not translate yet.", """
CloudFormation-format Heat templates (`AWSTemplateFormatVersion`, `HeatTemplateFormatVersion`)
are recognised but not translated yet; they are reported, not dropped. (TOSCA templates are
translated: docs/tosca.md.)
"""),
    # -- 1xx: HOT front-end --------------------------------------------------------------------
    _code("H2K101", "invalid-template-version", E, "The template version is missing, unknown or ambiguous.", """
Exactly one top-level key among `heat_template_version`, `HeatTemplateFormatVersion` and
`AWSTemplateFormatVersion` must hold a known version, as Heat requires.

Example: `heat_template_version: 2013-05-32` is not a HOT version.
"""),
    _code("H2K102", "unknown-section", E, "A top-level section that this HOT version does not have.", """
Heat rejects unknown top-level sections (`The template section is invalid`). `conditions`
only exists from version 2016-10-14 (newton) on.

Example: `resource:` instead of `resources:`.
"""),
    _code("H2K103", "invalid-resource", E, "A resource definition is malformed.", """
A resource must be a mapping with a string `type` and only the keys its template version
allows (`type`, `properties`, `metadata`, `depends_on`, `deletion_policy`, `update_policy`,
`description`, and from 2016-10-14 `external_id` and `condition`).

Example: `propertes:` is reported as an invalid keyword.
"""),
    _code("H2K104", "invalid-parameter", E, "A parameter definition or value is invalid.", """
Parameter definitions need a `type` among string, number, json, comma_delimited_list and
boolean, and only the keys Heat allows. Values given with `-P` or in an environment must
convert to the declared type.

Example: `-P count=many` for a `number` parameter.
"""),
    _code("H2K105", "missing-parameter-value", E, "A parameter has neither a value nor a default.", """
Heat refuses to create a stack when a parameter without a default gets no value. Give one
with `-P name=value`, `--parameter-file`, or an environment file.
"""),
    _code("H2K106", "unknown-parameter", E, "A parameter that the template does not declare.", """
`get_param` must name a declared parameter (or a pseudo parameter such as `OS::stack_name`),
and `-P` may only set declared parameters.

Example: `{get_param: flavour}` when the parameter is called `flavor`.
"""),
    _code("H2K107", "unknown-resource", E, "A reference to a resource the template does not define.", """
`get_resource`, `get_attr` and `depends_on` must name resources of the same template.

Example: `{get_resource: volume}` when the resource is called `data_volume`.
"""),
    _code("H2K108", "invalid-function-arguments", E, "An intrinsic function is called with arguments Heat rejects.", """
Each intrinsic function accepts specific argument shapes; Heat refuses others when it
validates the stack.

Example: `{get_param: []}` or `{get_resource: [a, b]}`.
"""),
    _code("H2K109", "possible-function-typo", W, "A one-key mapping looks like a misspelt or unavailable function.", """
Heat treats a one-key mapping whose key is not a function of the template's version as
plain data, without a word. When the key looks like a function (a near miss such as
`get_parm`, or a function of a later version), h2k warns, because the template almost
certainly means a call.
"""),
    _code("H2K110", "invalid-output", E, "An output definition is malformed.", """
An output must be a mapping with a `value` and may have `description` and, from 2016-10-14,
`condition`.
"""),
    _code("H2K111", "removed-function", E, "A function that this HOT version no longer supports.", """
Heat keeps the CloudFormation functions (`Ref`, `Fn::Join`, ...) registered after they were
removed from HOT, and refuses them: `The function Ref is not supported in this version of HOT`.
`Fn::Select` went in 2015-10-15, the others in 2014-10-16.

Example: `{Ref: server}` in a 2015-04-30 template; use `{get_resource: server}`.
"""),
    _code("H2K112", "invalid-environment", E, "An environment file is malformed.", """
An environment file is a mapping whose sections are `parameters`, `parameter_defaults`,
`resource_registry`, `encrypted_param_names`, `event_sinks` and `parameter_merge_strategies`.
Heat refuses other sections and sections that are present but empty.

Example: `resource_registy:` (misspelt) or `parameters:` with nothing under it.
"""),
    _code("H2K113", "constraint-violated", E, "A parameter value violates a constraint of its definition.", """
The value a parameter gets (from `-P`, a parameter file, an environment or its default) must
satisfy its `constraints` (`length`, `range`, `modulo`, `allowed_values`, `allowed_pattern`),
as Heat checks them. The finding points at the parameter; a second one points at where the
value came from when that is a file.

Example: `-P flavor=m1.huge` where `allowed_values: [m1.small, m1.medium]`.
"""),
    _code("H2K114", "registry-entry-ignored", W, "A registry entry that maps nothing, or that h2k cannot follow.", """
Only a trailing `*` makes a registry key a wildcard, so a key such as `OS::Tasks::*PreConfig`
is a literal name that matches no resource (as in Heat). Remote template URLs are not fetched:
h2k never uses the network.
"""),
    _code("H2K115", "invalid-merge-strategy", E, "A parameter merge strategy Heat refuses.", """
`parameter_merge_strategies` may name `overwrite`, `merge` or `deep_merge`; a parameter may not
get two different explicit strategies from two environment files, and boolean parameters
cannot be merged.
"""),
    _code("H2K116", "unchecked-constraint", N, "A custom constraint that cannot be checked offline.", """
Custom constraints such as `nova.flavor` or `glance.image` ask an OpenStack service whether a
value exists; h2k has no cloud to ask. Where the constraint only concerns the form of the value
(`ip_addr`, `net_cidr`, `mac_addr`, `dns_name`, `iso_8601`, `cron_expression`, `json_string`),
h2k checks the form.
"""),
    _code("H2K117", "nested-stack-limit", E, "Nested stacks too deep or too big, or a template includes itself.", """
Heat refuses to nest stacks deeper than `max_nested_stack_depth` (5) and to create more than
`max_resources_per_stack` (1000) resources in a tree; a template that (directly or not) uses
itself as a provider is an endless recursion.
"""),
    _code("H2K118", "get-file-refused", E, "A get_file path that leaves the template's tree, or names a URL.", """
`get_file` reads files relative to the file that contains it, inside a root (the top template's
directory, or `--files-root`). An absolute path, a path that climbs out of the root with `..`,
and a URL are refused: compiling never reads arbitrary files and never uses the network.
"""),
    _code("H2K119", "missing-file", E, "A file named by get_file, a registry or an environment is missing.", """
The path is resolved relative to the file that names it.

Example: `get_file: scripts/setup.sh` when `scripts/` sits elsewhere.
"""),
    _code("H2K120", "evaluation-limit", E, "A function would build too large a result, or run too long.", """
`repeat`, `list_join`, `str_replace` and `yaql` can build huge values from small templates.
h2k bounds the size of every computed value and stops a `yaql` expression at Heat's own limits
(iterators and memory quota), and reports the call instead of exhausting memory.
"""),
    _code("H2K121", "invalid-condition", E, "A condition is malformed, unknown, or defined in terms of itself.", """
Conditions must be booleans or condition functions (`equals`, `not`, `and`, `or`, and from
2017-09-01 `contains` and `yaql`) over parameters; a name used as a condition must be defined,
and conditions may not refer to each other in a cycle.
"""),
    _code("H2K122", "dependency-cycle", E, "Resources depend on each other in a cycle.", """
Heat orders resource creation by `depends_on` and by the references `get_resource` and
`get_attr` make; a cycle means no resource of it can be created first, and Heat refuses the
stack (`Circular Dependency Found`).

Example: `a` has `depends_on: b` and `b` has `{get_attr: [a, id]}`.
"""),
    _code("H2K123", "environment-section-noted", N, "An environment section that has no Kubernetes counterpart.", """
`event_sinks` (Heat pushes stack events to a Zaqar queue), `hooks` and `restricted_actions` of
the resource_registry (they pause or block Heat's own operations) and `encrypted_param_names`
(how Heat stored parameters) are accepted, checked, and change nothing in the output. The
finding says so, so that nothing in an environment is passed over without a word.
"""),
    # -- 3xx: passes ---------------------------------------------------------------------------
    _code("H2K301", "not-translated-yet", W, "A resource type that h2k does not translate yet.", """
The resource is kept in the report and left out of the Kubernetes output. Nothing is dropped
silently: every such resource is listed with this code.

Example: `OS::Heat::SoftwareDeployment` in a template compiled by an h2k without software
configuration support.
"""),
    _code("H2K302", "deploy-time-value", W, "A value that is only known at deploy time was left out.", """
Some values (attributes of created resources, physical IDs) do not exist until Heat creates
the resource. Where the Kubernetes output has no place that can receive such a value, the
property is left out and reported.
"""),
    _code("H2K303", "stays-on-openstack", N, "A resource stays on OpenStack, and why.", """
Kubernetes runs the workload; OpenStack keeps the infrastructure under it. Networks, routers,
ports with fixed addresses, DNS, identity, images, object storage, and servers kept as virtual
machines (with what is attached to them) stay on OpenStack, in the residual Heat stack
(`openstack/infra.yaml`). The note gives the reason. Choose per resource with
`metadata: {h2k.io/target: kubernetes}` or `targets:` in the config file, and for servers with
`--servers auto|container|openstack|kubevirt`; `h2k explain <resource type>` shows the policy for a type.
"""),
    _code("H2K304", "retired-resource-type", W, "A resource type of a retired OpenStack project.", """
Sahara, Senlin and Monasca were retired, and Heat no longer offers their resource types. Such a
resource can neither move to Kubernetes nor stay on OpenStack; it is listed in the report.
"""),
    _code("H2K305", "server-kept-as-vm", W, "A server stays on OpenStack as a virtual machine.", """
With `--servers auto` (the default), a server becomes a container only when its container image
is known: `metadata: {h2k.io/image: ...}` on the server, or its Glance image mapped under `images:`
in the config file, or an image h2k builds from its boot script when it understood every
statement, nothing needs a virtual machine and one process is started (H2K610). Otherwise it
stays a virtual machine in the residual Heat stack, and so do its volumes, ports, floating IPs,
deployments and wait conditions (with `fallback: kubevirt` in the config file it becomes a
KubeVirt virtual machine instead). Give the image, or use
`--servers container` to make every server a container, or `--servers kubevirt` to keep every
server a virtual machine, on Kubernetes (H2K433).
"""),
    # -- 4xx: Kubernetes backend ---------------------------------------------------------------
    _code("H2K401", "missing-container-image", E, "No container image is known for a server.", """
A Nova server boots a Glance (VM) image; a container needs an OCI image. Give it with
`metadata: {h2k.io/image: registry.example.com/app:1.0}` on the server, or map the Glance image
in the config file (`images: {ubuntu-22.04: docker.io/library/ubuntu:22.04}`). Until then the
Deployment carries a deliberately invalid image reference (`H2K-UNMAPPED/<glance image>`), so
it can never pull an unrelated public image by accident.
"""),
    _code("H2K402", "dropped-property", W, "A source property has no Kubernetes counterpart and was dropped.", """
The named property does not carry over into the Kubernetes object (for example a server's
`key_name`: containers are not reached over SSH). The report lists every such property.
"""),
    _code("H2K403", "unknown-flavor", W, "A server flavor is not in the flavor table; no requests were set.", """
Flavors become container resource requests and limits through the flavor table (built-in
OpenStack defaults such as `m1.small`, extended by `flavors:` in the config file). An unknown
flavor leaves the container without requests.

Example config: `flavors: {gp.large: {vcpus: 4, ram: 8192}}` (ram in MiB).
"""),
    _code("H2K404", "unsupported-security-rule", W, "A security group rule that NetworkPolicy cannot express.", """
NetworkPolicy allows TCP, UDP and SCTP ports between pods and CIDR blocks. ICMP and other IP
protocols, and rules whose remote group is not translated, cannot be expressed and are dropped.
"""),
    _code("H2K405", "assumed-mount-path", W, "A volume's mount path inside the container was assumed.", """
Cinder attaches a block device (`/dev/vdb`); the filesystem path the guest mounts it on is
decided by its boot script. Without `metadata: {h2k.io/mount-path: /var/lib/data}` on the
volume (or the attachment), h2k mounts it at `/mnt/<volume>`.
"""),
    _code("H2K406", "renamed-object", N, "A resource name was changed to be a valid Kubernetes name.", """
Kubernetes object names must be DNS-1123 labels or subdomains: lower case, digits and `-`.
Heat resource names such as `web_server` become `web-server`; collisions get a numeric suffix.
"""),
    _code("H2K407", "ignored-attachment", W, "A volume attachment could not be applied.", """
The attachment names a server or a volume that was not translated, or that cannot be
resolved at compile time, so no volume mount was generated for it.
"""),
    _code("H2K408", "assumed-volume-size", W, "A volume's size is not known at compile time; 1Gi was assumed.", """
A PersistentVolumeClaim must request a size. A Cinder volume created from an image, a
snapshot or another volume may omit `size`; h2k then requests 1Gi and says so.
"""),
    _code("H2K409", "storage-class-written", N, "A StorageClass was written for a Cinder volume type.", """
Without a mapping (`storage_classes: {ssd: csi-cinder-ssd}` in the config file), a volume type
gets a StorageClass of h2k's own, named after the type, for the Cinder CSI driver
(`cinder.csi.openstack.org`, parameter `type`). Map the type to use a class the cluster already has.
"""),
    _code("H2K411", "no-counterpart", N, "A resource that has no Kubernetes counterpart by design.", """
Some resources only make sense for virtual machines: an `OS::Nova::KeyPair` gives SSH access to
a server, and containers are not reached over SSH. They are listed in the report with this note
instead of an object. A key pair that a KubeVirt virtual machine uses is a Secret of public keys
instead (H2K432).
"""),
    _code("H2K412", "deployment-not-run", W, "A software deployment is not run in the pods.", """
A `SoftwareDeployment` becomes an init container that runs its config's script when the server's
pod starts. That needs a `group: script` config of the same template whose text is known at
compile time, a translated server, and the `CREATE` action. Configs for other hooks (puppet,
ansible, salt, os-apply-config, ...) need their tool inside the container image; build the image
with that configuration applied instead. The report keeps the deployment with this finding.
"""),
    _code("H2K413", "vm-boot-data", W, "A boot-time configuration that only changes a virtual machine.", """
Cloud-init documents (`OS::Heat::CloudConfig`), MIME multipart boot data (`OS::Heat::MultipartMime`)
and configs no translated deployment runs are read by a virtual machine while it boots. A
container does not boot: what they install and write belongs in the container image, so no
object is written for them, and the report keeps them with this finding.
"""),
    _code("H2K414", "wait-condition-replaced", N, "A wait condition became the readiness of its servers' pods.", """
Heat holds the stack until a booting server signals its wait condition. Pods report readiness
through probes instead, so the condition has no object of its own: its `timeout` becomes the
`progressDeadlineSeconds` of the Deployments whose servers use its handle. When no translated
server uses the handle, the finding is a warning: nothing waits for it any more.
"""),
    _code("H2K415", "address-as-service", N, "A workload's address became the DNS name of its Service.", """
A value that was another server's IP address (`{get_attr: [db, first_address]}`) becomes the
name of a headless Service selecting that workload's pods: pod addresses change with every
restart, a Service name does not. The Service is written when the workload has none of its name.
Values that embed the address in a longer text are only known at deploy time (H2K302).
"""),
    _code("H2K416", "routing-policy-not-carried", W, "An L7 policy or rule that an Ingress cannot express.", """
A listener with L7 policies becomes an Ingress whose paths are the REDIRECT_TO_POOL policies:
a HOST_NAME rule is the host of an Ingress rule, a PATH rule the path (EQUAL_TO `Exact`,
STARTS_WITH `Prefix`). An Ingress cannot refuse or redirect requests, match headers, cookies or
file types, invert a match or use regular expressions; a policy that needs any of this is left
out whole, so the requests it matched go to the next policy or the default pool. Octavia applies
the first policy that matches, an Ingress the most specific rule: a policy for one host after an
overlapping policy for every host is reported too. Policies Octavia never applies (disabled, no
rules, covered by an earlier one) are left out with a note.

Example: `type: HEADER` in an L7 rule, or `action: REDIRECT_TO_URL` in an L7 policy.
"""),
    _code("H2K417", "tls-secret-required", W, "An Ingress terminates TLS with a Secret the user must create.", """
A TERMINATED_HTTPS listener keeps its certificate in Barbican (`default_tls_container_ref`); the
Ingress it becomes names a Secret `<ingress>-tls` of type `kubernetes.io/tls` instead, which h2k
cannot write (it never reads Barbican). Create it from the same certificate and key, e.g.
`kubectl create secret tls web-tls --cert web.crt --key web.key`; octavia-ingress-controller copies
it into Barbican itself. SNI certificates (`sni_container_refs`) need a Secret and a `tls` entry
each, with their hosts.
"""),
    _code("H2K418", "volume-snapshot-import", W, "A claim restores a Cinder snapshot that must be imported first.", """
A volume created from a Cinder snapshot becomes a claim whose `dataSourceRef` names a
VolumeSnapshot. The snapshot exists in Cinder, not in the cluster, so it has to be imported as a
pre-provisioned snapshot before the claim is applied: a VolumeSnapshotContent with the driver
`cinder.csi.openstack.org` and `source.snapshotHandle` the Cinder snapshot's id, bound to a
VolumeSnapshot of the name the claim uses (snapshot.storage.k8s.io/v1). h2k does not write
them (it has no schema to check them against); the finding names both and their fields.
"""),
    _code("H2K419", "volume-source-not-carried", W, "A volume's initial content cannot be a claim's data source.", """
A claim can start from another claim of its namespace or from a VolumeSnapshot. A Cinder backup
(`backup_id`), a Glance image (`image`: a bootable disk, only meaningful for a virtual machine),
a volume outside the stack, or a source only known at deploy time has no such counterpart, so
the claim starts empty. Restore the data into the claim's volume after it is created, or import
the Cinder volume as a pre-provisioned PersistentVolume.
"""),
    _code("H2K420", "helm-value-compiled-in", N, "A parameter is compiled into the Helm chart, not a value.", """
With `--package helm`, a parameter becomes a value of the chart only when a new value changes the
objects in one way: its text is copied into them, and nothing else changes. h2k finds this by
compiling the template again with a marker value, and keeps every other parameter compiled in:
one that is hidden, not a string (numbers decide counts and sizes), used in a condition or a
computation (`equals`, `str_split`, `yaql`, a `str_replace` template, a flavor or image lookup),
part of an object's name, label or selector, or that changes nothing in the objects. To change
it, compile again with `-P NAME=VALUE`.

Example: `flavor` with `allowed_values: [m1.small, m1.medium]` decides the container's requests,
so it stays compiled in; `image` copied into `h2k.io/image` becomes `parameters.image`.
"""),
    _code("H2K421", "helm-pattern-inexact", N, "An allowed_pattern has no exact JSON Schema form.", """
Heat accepts a value when Python's `re.match` finds a match that ends at the end of the value;
Helm checks `values.schema.json` with Go's regular expressions, which search and have no
lookaround or backreferences. h2k writes the pattern anchored (`^(?:...)$`) with explicit
character classes, after checking that the anchored form accepts exactly what Heat accepts. When
it would accept a value Heat refuses (`a|ab`: Heat's match of "ab" stops after "a"), or uses
syntax Go lacks (`(?=...)`, `\\b`, backreferences), the parameter stays compiled in. When the
schema only refuses more than Heat (`\\d` and `\\w` of other scripts become their ASCII part),
the parameter is a value and this note says so.
"""),
    _code("H2K422", "helm-constraint-unchecked", N, "A custom_constraint cannot be checked by the chart's schema.", """
A `custom_constraint` (`glance.image`, `nova.flavor`, ...) asks an OpenStack service whether a
value exists. A values.schema.json cannot, so a value Heat would refuse could be installed; the
parameter stays compiled into the chart instead of becoming a value.
"""),
    _code("H2K425", "hidden-parameter-secret", N, "A hidden parameter is read from a Secret filled at deploy time.", """
Where a `hidden: true` parameter reaches a container's environment, the variable reads the
Secret `<stack>-<parameter>` (key `value`) instead of carrying the value. The Secret carries no
value either: with Kustomize it is generated from the git-ignored `secrets/<name>.env`, otherwise
create it with `kubectl create secret generic <name> --from-literal=value=...`. Such a parameter
needs no value at compile time.
"""),
    _code("H2K426", "wired-infrastructure-value", N, "A workload reads a value of the infrastructure, wired.", """
A container's environment uses an attribute of a resource that stays on OpenStack. The value
exists once the residual Heat stack (`openstack/infra.yaml`) is created, so the variable reads
a key of the ConfigMap `<stack>-infrastructure` (a Secret for sensitive attributes), and the
residual stack has an output of the same name. After creating the stack, fill the keys with
`openstack stack output show <stack> --all -f json > outputs.json` and
`h2k bind <output dir> --stack-outputs outputs.json`.
"""),
    _code("H2K427", "adopted", N, "An existing OpenStack resource is taken over, not created again.", """
With `--adopt`, a volume of the running stack becomes a static PersistentVolume (the Cinder CSI
driver, its ID as `volumeHandle`, reclaim policy Retain) bound to its claim, so the data stays
where it is; a floating IP keeps its address on the LoadBalancer Service; an Octavia load
balancer is reused through `loadbalancer.openstack.org/load-balancer-id`.
"""),
    _code("H2K428", "not-adoptable", W, "An existing resource that cannot be taken over as given.", """
The adoption file names a resource that h2k cannot take over as it is: a floating IP without
its address (give `{"id": ..., "address": ...}`), a volume held once per group member (each
member has its own), or an ID that is not a Cinder volume UUID.
"""),
    _code("H2K429", "run-to-completion", N, "A server that runs to completion became a Job.", """
A server whose boot script ends by powering the machine off (`shutdown -h now`, `poweroff`,
`halt -p`, `init 0`), or that carries `metadata: {h2k.io/workload: job}`, does one thing and
stops. A Deployment would restart it for ever, so it becomes a Job that runs each member once
(`backoffLimit: 0`, `restartPolicy: Never`; a wait condition's timeout is its
`activeDeadlineSeconds`). `h2k.io/workload: deployment` keeps a Deployment.
"""),
    _code("H2K430", "missing-vm-image", E, "No disk image is known for a virtual machine on KubeVirt.", """
A server placed on KubeVirt (`--servers kubevirt`, or `metadata: {h2k.io/target: kubevirt}`) boots
a disk, not a Glance image. Map the Glance image under `vm_images:` in the config file, to a
containerDisk image (`vm_images: {ubuntu-22.04: quay.io/containerdisks/ubuntu:22.04}`) or to a CDI
DataVolume imported from a URL (`{dataVolume: {http: https://.../disk.qcow2, size: 20Gi}}`). Until
then the VirtualMachine's root disk is the containerDisk `H2K-UNMAPPED/<glance image>`, a
deliberately invalid reference that can never pull an unrelated image.
"""),
    _code("H2K431", "vm-boot-data-at-deploy-time", W, "A virtual machine's boot data is supplied at deploy time.", """
A server's `user_data` becomes the cloud-init user data of its VirtualMachine, read from a Secret
(`<vm>-userdata`, key `userdata`). h2k writes the text into that Secret when it is known at compile
time and holds no hidden parameter's value. Otherwise the Secret carries no value and you supply
it at deploy time (with Kustomize, the git-ignored file `secrets/<vm>-userdata/userdata`): when the
text holds a hidden parameter's value (a password in a boot script), uses values only known at
deploy time (another resource's attribute, a wait condition's URL), or comes from an
`OS::Heat::MultipartMime`, whose MIME message h2k does not rebuild.
"""),
    _code("H2K432", "vm-ssh-key-at-deploy-time", W, "A virtual machine's SSH public key is supplied at deploy time.",
          """
A key pair a VirtualMachine uses becomes `accessCredentials`: cloud-init installs the public keys
of a Secret (`ssh-key-<key name>`). When the template gives the public key (`public_key` of an
`OS::Nova::KeyPair`), h2k writes it. When Heat would generate the key pair, or the key pair exists
only in Nova (`key_name: my-key`), the Secret carries no value: put the public key in it at deploy
time (with Kustomize, the file `secrets/ssh-key-<key name>/key`; for a Nova key pair,
`openstack keypair show my-key --public-key`). A private key is never written.
"""),
    _code("H2K433", "virtual-machine", N, "A server became a KubeVirt VirtualMachine.", """
With `--servers kubevirt` (or `metadata: {h2k.io/target: kubevirt}` on the server), a server stays a
virtual machine, but on Kubernetes: a `kubevirt.io/v1` VirtualMachine (`runStrategy: Always`) whose
CPU and memory come from the flavor, whose disks come from `vm_images:` and its attached volumes,
whose boot data and SSH keys reach it through cloud-init, and whose pods carry the labels of its
security groups, load balancers and server group. The cluster needs KubeVirt, and CDI for
DataVolumes. docs/conversion-matrix.md lists what each property becomes.
"""),
    _code("H2K434", "vm-group-members", W, "A group of servers became one VirtualMachine per member.", """
A VirtualMachine has no replicas: each member of a `ResourceGroup` or `AutoScalingGroup` placed on
KubeVirt becomes a VirtualMachine of its own (`<name>-<index>`, the group's index variable replaced
as Heat does), as many as the group's count known at compile time. Scaling policies and alarms
have no counterpart for them; the group keeps its size.
"""),
    _code("H2K410", "secret-in-output", E, "A hidden parameter's value would be written to an output file.", """
Values of `hidden: true` parameters never land in a manifest or a report. When one would (for
example a hidden password passed through `get_param` into a server's metadata), nothing is
written and the run stops; the value itself is never printed. Until h2k emits Secrets for such
values, move the value out of the workload's configuration.
""", "io"),
    # -- 5xx: OpenStack backend ----------------------------------------------------------------
    _code("H2K501", "orc-property-dropped", W, "A property of a resource kept on OpenStack has no k-orc field.", """
With `--infra orc`, each resource that stays on OpenStack becomes an object of
openstack-resource-controller (`openstack.k-orc.cloud/v1alpha1`). A property that its k-orc kind
cannot express is left out, and this finding gives the reason (docs/orc.md lists every property).
Some are notes only (a name k-orc takes from the object, a Heat-only update policy).

Example: `value_specs` of an `OS::Neutron::Net`, which k-orc's Network does not pass to Neutron.
"""),
    _code("H2K502", "orc-no-kind", W, "A resource kept on OpenStack has no k-orc kind; Heat keeps it.", """
openstack-resource-controller has no kind for every OpenStack resource (no Octavia, Swift,
Designate, Barbican, Heat, Trove, Magnum, Zaqar, Mistral, QoS, firewalls or VPNs, for example).
Such a resource stays in the residual Heat stack, which is deployed next to the k-orc objects.

Example: an `OS::Swift::Container` kept on OpenStack.
"""),
    _code("H2K503", "orc-import", N, "Something outside the stack is imported as an unmanaged k-orc object.", """
A k-orc reference (`networkRef`, `flavorRef`, ...) names another k-orc object, never an
OpenStack name or ID. A value that names something that exists outside the stack (a network
given by name, a flavor, an image, a UUID) becomes an object with `managementPolicy: unmanaged`
that imports it: `import.id` for a UUID, `import.filter.name` otherwise. k-orc never changes or
deletes an imported resource. The same holds for a resource of the template that Heat keeps
(H2K502, H2K516) and that has a literal `name`: k-orc waits until Heat has created it.

Example: `network: public` becomes a Network `public` importing `filter: {name: public}`.
"""),
    _code("H2K504", "orc-deploy-time-value", W, "A value only known at deploy time cannot go into a k-orc object.",
          """
k-orc objects are plain data: an attribute of another resource (`get_attr`), a value computed
from one, or a parameter without a value cannot be resolved when the objects are written. The
field is left out; when k-orc requires it, the resource stays in the residual Heat stack (H2K516).

Example: `fixed_ips: [{ip_address: {get_attr: [other_port, fixed_ips, 0, ip_address]}}]`.
"""),
    _code("H2K505", "orc-reference-not-mapped", W, "A reference to a resource without a k-orc object of that kind.",
          """
A `get_resource` naming a resource that becomes something else (a Kubernetes object, a resource
Heat keeps without a literal name to import it by, a member of a group, a resource of another
kind) cannot become a k-orc reference. The reference is left out; when k-orc requires it, the
resource stays in the residual Heat stack (H2K516).

Example: a port kept on OpenStack in a security group that became a NetworkPolicy.
"""),
    _code("H2K506", "orc-security-rule", W, "A security group rule that k-orc cannot express exactly.", """
k-orc's SecurityGroup rules have a direction, an ethertype, a protocol name, a port range and a
remote IP prefix. A rule whose remote is another security group (`remote_mode: remote_group_id`)
has no k-orc form, nor has an ICMP rule with a type but no code, or a protocol number without a
name; such a rule is left out, which allows less than Heat did, never more. Neutron gives every
new group rules that allow all egress; Heat deletes them when the template has egress rules, and
the finding says so when k-orc may keep them.

Example: `{remote_mode: remote_group_id, remote_group_id: {get_resource: web_sg}}`.
"""),
    _code("H2K507", "orc-key-pair-public-key", W, "A key pair without a public key; k-orc cannot generate one.", """
Heat generates a key pair when `public_key` is not given and returns its private key; k-orc's
KeyPair requires `publicKey`. Supply one (`public_key: {get_param: ssh_key}`) to have k-orc manage
the key pair; until then the key pair stays in the residual Heat stack, and servers import it by
its name (H2K503).
"""),
    _code("H2K508", "orc-secret-written", N, "A Secret holding a server's user data or a user's password is written.",
          """
k-orc reads a server's `userData` and a user's password from a Secret (keys `value` and
`password`). When the text is known at compile time and contains no hidden value, h2k writes the
Secret with it (`stringData`), next to the k-orc objects.
"""),
    _code("H2K509", "orc-secret-value-required", W, "A Secret is written without its value, which you supply.", """
User data or a password that contains a hidden parameter, a generated random string or a value
only known at deploy time is never written to a file: the Secret is written without data, and
annotated with what it must hold. Create it before the k-orc objects, e.g.
`kubectl create secret generic web-user-data --from-file=value=user-data.txt`.
"""),
    _code("H2K510", "orc-invalid-value", W, "A value that k-orc refuses (format, length or allowed values).", """
k-orc validates its objects more strictly than Heat does in places: names may not contain a
comma, tags are at most 255 (servers: 80) characters, enumerations such as an image's
`architecture` or `os_distro` are closed, Volume metadata values must be strings. A value that
does not fit is left out (or the list item holding it).

Example: `architecture: amd64` (k-orc knows `x86_64`).
"""),
    _code("H2K511", "orc-boot-data-format", W, "User data that Heat would wrap for its own in-guest agents.", """
With `user_data_format: HEAT_CFNTOOLS` (the default) or `SOFTWARE_CONFIG`, Heat wraps a server's
user data in a MIME multipart message with cloud-init parts for heat-cfntools or os-collect-config.
k-orc passes user data to Nova as written, so h2k writes the user data itself (`RAW`); in-guest
agents that expect Heat's parts (cfn-init, software deployments) find nothing.
"""),
    _code("H2K512", "orc-generated-object", N, "An object written for part of a resource.", """
Some Heat properties stand for resources of their own: a server's `networks` entry with a
network or a subnet is a port that Nova creates, a user's or group's `roles` are role
assignments. k-orc needs them as objects, so h2k writes them (`<server>-port-<n>`,
`<user>-<role>-<n>`) and says so.
"""),
    _code("H2K513", "orc-merged-resource", N, "A resource became part of another k-orc object.", """
k-orc has no kind for some Heat resources that only link two others; they become fields of the
object they modify: `OS::Neutron::SecurityGroupRule` a rule of its group, `OS::Neutron::FloatingIPAssociation`
the floating IP's `portRef`, `OS::Cinder::VolumeAttachment` an entry of the server's `volumes`,
`OS::Keystone::UserRoleAssignment` and `GroupRoleAssignment` RoleAssignment objects.
"""),
    _code("H2K514", "orc-group-not-expanded", W, "A group member that cannot be written as one object per member.",
          """
k-orc has no group kind: a `ResourceGroup` member kept on OpenStack becomes one object per member
(`<name>-0`, `<name>-1`, ...), with `%index%` replaced. An AutoScalingGroup (its size changes at run
time) or a group whose count is not known at compile time cannot be written that way; it stays in
the residual Heat stack.
"""),
    _code("H2K515", "invalid-orc-object", E, "h2k produced a k-orc object that fails its CRD schema; please report it.",
          """
Every k-orc object is validated against the JSON Schema of its CRD (shipped with h2k). A failure
is a bug in h2k, not in the template.
""", "io"),
    _code("H2K516", "orc-resource-kept-in-heat", W, "A resource that k-orc cannot create as written; Heat keeps it.",
          """
A resource whose k-orc kind lacks something it needs stays in the residual Heat stack: a port-type
router interface, a volume without a size (k-orc cannot size it from its source), a subnet from a
subnet pool without a CIDR, a required reference that is left out (H2K504, H2K505).

Example: `OS::Neutron::RouterInterface` with `port:` instead of `subnet:`.
"""),
    _code("H2K520", "mixed-nested-stack", W, "A nested stack mixes resources that stay with ones that move.", """
The residual Heat stack keeps a nested stack whole (its template file is copied beside
`openstack/infra.yaml`) when everything in it stays on OpenStack. When some of its resources move
to Kubernetes and others stay, the ones that stay cannot be cut out of the nested template; they
are not in the residual stack. Move them into a template of their own, or choose a side for the
whole nested stack with `h2k.io/target`.
"""),
    _code("H2K521", "shared-definition-copied", N, "A definition is copied into the residual stack.", """
A resource that stays on OpenStack uses another one that does not (for example a security group
a virtual machine and a pod both use, or a random string in a boot script). Heat needs the
definition, so it is copied into the residual stack as well; the Kubernetes side keeps its own.
"""),
    _code("H2K522", "moved-workload-parameter", W, "What stays on OpenStack uses a workload that moved.", """
A resource of the residual stack refers to a server that now runs on Kubernetes (its address,
its ID). Heat cannot see it any more, so the reference becomes a parameter of the residual stack
(`h2k_<resource>_<attribute>`); set its value in `openstack/infra-env.yaml` once the workload
runs (for an address: the external address of its Service).
"""),
    _code("H2K523", "retain-before-update", N, "Adopted resources are retained before the running stack shrinks.", """
Updating the running stack to the residual template (`openstack/infra.yaml`) makes Heat delete
every resource it no longer contains, including the volumes Kubernetes has just adopted. h2k
writes `openstack/retain.yaml`, the source template with `deletion_policy: Retain` on those
resources: update the stack to it first (`openstack stack update <stack> --existing -t
openstack/retain.yaml`), then to the residual template; Heat then lets them go without deleting them.
"""),
    # -- 6xx: boot scripts ----------------------------------------------------------------------
    _code("H2K601", "shell-unsupported", W, "A boot script uses shell syntax that h2k does not read.", """
h2k reads the shell scripts a template boots its servers with (`user_data`, software configs
with `group: script`, the files they `get_file`) to learn what they install, write and start.
Its grammar covers POSIX sh and the bash forms boot scripts use (`[[ ]]`, arrays, `$'...'`,
`source`, here-documents, `$((...))`, process substitution); a script that goes beyond it (a
`select` loop, `coproc`, extended globs such as `!(*.tmp)`, an arithmetic `$((...))` with quotes)
is not analysed, and this finding points at the line where reading stopped. It may also be a
mistake in the script that only a parser notices, such as a `fi` without its `if`.

Example: `select choice in a b; do ...; done` in `user_data`.
"""),
    _code("H2K602", "shell-syntax-error", W, "A boot script is not valid shell.", """
The script cannot run: a quote, `$(`, `${`, backquote or `[[` is opened and never closed, or a
here-document has no delimiter. bash refuses such a script before running any of it, so the
server boots without it. The finding points at where the unclosed construct starts.

Example: `echo "done` (the closing double quote is missing).
"""),
    _code("H2K603", "shell-heredoc-unclosed", W, "A here-document in a boot script is never closed.", """
No line of the script is the here-document's delimiter, so bash takes every line after `<<EOF`
to the end of the script as the document's text (and says so only in a warning). The commands
that were meant to follow it never run. The delimiter must be alone on its line (with `<<-`,
after tabs only): `EOF )` or `  EOF` do not close `<<EOF`.

Example: `cat > /etc/app.conf <<EOF` whose closing line is indented with spaces.
"""),
    _code("H2K610", "image-from-boot-script", N, "A server's image is built from its boot script.", """
The server's `user_data` (a shell script or a cloud-config document, or the software config it
names) was read statement by statement: package installs, downloads and fixed files go into
`images/<name>/Containerfile`, the pod runs `<registry>/<name>:h2k-<hash>`, and
`images/<name>/analysis.md` lists what every line of the script became. Build and push the
image (`podman build -t <image> images/<name>`) before applying the manifests; set `registry:`
in the config file to choose where it goes.

Example: `yum -y install httpd` and `systemctl start httpd` become
`RUN yum -y install httpd && yum clean all` and `CMD ["httpd", "-DFOREGROUND"]`.
"""),
    _code("H2K611", "boot-statement-not-understood", W, "A boot script statement that h2k does not understand.", """
The command is not one h2k knows (a program of the image, a script it does not read, a computed
command). It is copied into the image recipe as written, with a comment, so the image does what
the machine did; but whether it belongs in an image at all (rather than at start-up, or not in a
container) is for you to check. `--servers auto` keeps such a server a virtual machine.

Example: `/opt/vendor/setup.sh --cluster` in a boot script.
"""),
    _code("H2K612", "boot-statement-needs-vm", W, "A statement of a boot script that cannot run in a container.", """
The statement changes what belongs to a machine rather than to an application: kernel settings
(`sysctl`, `modprobe`, writes under `/proc` or `/sys`), the network (`ip`, `ifup`, `nmcli`), the
boot loader, swap, partitions, or the power state. It is left out of the image. If the
application needs it, keep the server a virtual machine (`--servers kubevirt` or `openstack`,
or `h2k.io/target` on the server), or set it on the nodes. `--servers auto` keeps such a server
a virtual machine.

Example: `sysctl -w net.core.somaxconn=1024`.
"""),
    _code("H2K613", "boot-statement-left-out", N, "A statement of a boot script that a container does not need.", """
Shell options, logging, sleeping, SELinux and host-firewall settings (security groups became
NetworkPolicies), and enabling services at boot (a container's process is its service) have no
effect on a container; the statement is left out of the image and listed in analysis.md.

Example: `systemctl enable httpd`, `setenforce 0`, `firewall-cmd --add-port=80/tcp`.
"""),
    _code("H2K614", "boot-statement-runtime", N, "A boot script statement that depends on the stack's parameters.",
          """
The statement uses a placeholder of the `str_replace` around the script (or a variable set from
one), so its effect changes with the stack's parameters. It stays out of the image, so that a new
parameter value needs no new image: a file it writes is a key of the ConfigMap `<name>-boot`,
mounted at its path; a command runs from `/etc/h2k/start.sh` (same ConfigMap) each time the
container starts, before its process. Placeholders are replaced as Heat replaces them; a hidden
parameter, or a value known only at deploy time, is read from an environment variable instead
(from a Secret, or the deploy-time wiring), so no secret is ever written. Note that such a
variable is not expanded inside single quotes.

Example: `sed -i s/database_name_here/db_name/ /etc/wordpress/wp-config.php` with `db_name` a placeholder.
"""),
    _code("H2K615", "boot-signal-readiness", N, "A wait-condition signal in a boot script.", """
The statement tells Heat that the server is ready (`wc_notify`, `cfn-signal`, a curl to the
handle's URL). A pod has no wait condition; its readiness stands for the signal, and the wait
condition's timeout becomes the Deployment's progress deadline. The statement is left out.

Example: `wc_notify --data-binary '{"status": "SUCCESS"}'`.
"""),
    _code("H2K616", "base-image-unknown", W, "No base image is known for a server's Glance image.", """
The Containerfile written from the boot script needs a `FROM`. h2k recognises common
distributions in the Glance image's name (Fedora, CentOS, RHEL, Rocky, Alma, Ubuntu, Debian,
openSUSE, Alpine, CirrOS) and otherwise the family the script's package manager implies. When
neither says, the `FROM` is an invalid reference (`H2K-UNMAPPED/<image>`), so nothing unrelated is
ever built on. Map the Glance image under `base_images:` in the config file.

Example: `image: corp-golden-2023` with a script that runs only `pip install`.
"""),
    _code("H2K617", "boot-volume-preparation", N, "Volume preparation in a boot script.", """
`mkfs` formats an attached volume and `mount` (or an `/etc/fstab` line, or cloud-config
`mounts:`) mounts it. A claim arrives formatted, and the pod mounts it: the path the script
mounts the volume's device at becomes the claim's mount path (unless `h2k.io/mount-path` says
otherwise). The statement is left out of the image.

Example: `mkfs.ext4 /dev/vdb && mount /dev/vdb /var/lib/mysql`.
"""),
    _code("H2K618", "boot-process-unclear", W, "A boot script's long-running process is missing, unknown or not alone.",
          """
A container runs one process. h2k takes it from the service the boot script starts (`systemctl
start`, `service ... start`, an init script, a command put in the background) and its foreground
form from a table of common daemons. When the script starts none, the image has no `CMD`; when it
starts a service not in the table, set the `CMD` yourself; when it starts several, the container
runs the last and each other service needs a container (a server) of its own.
`--servers auto` keeps such a server a virtual machine.

Example: a script that starts both `mariadb` and `httpd`.
"""),
    _code("H2K619", "deployment-change-lost", W, "A deployed script changes what its init container keeps to itself.",
          """
A software deployment's script runs in an init container of the server's pod. An init container
has its own file system and environment: packages it installs, files it writes outside the
volumes it shares with the main container, variables it exports and services it starts are gone
when it ends, and the application never sees them. Build those steps into the server's image
(its Containerfile, or `h2k.io/image`), or write the files under a mounted volume; keep in the
deployment what must run at start with the deployment's inputs.

Example: a config with `group: script` whose script runs `yum -y install httpd`.
"""),
    _code("H2K524", "hidden-default-not-copied", N, "A hidden parameter's default is left out of infra.yaml.", """
The template gives a `hidden: true` parameter (a password) a default. h2k never writes a hidden
value into a file, so the residual stack declares the parameter without it: give the value when
creating the stack (`openstack stack create ... --parameter name=value`).
"""),
    # -- 7xx: TOSCA front-end ------------------------------------------------------------------
    _code("H2K701", "tosca-version-unsupported", E, "The TOSCA template's version is not one h2k reads.", """
h2k reads TOSCA Simple Profile in YAML 1.0, 1.2 and 1.3 (and the NFV and MEC profiles) through
tosca-parser. `tosca_simple_yaml_1_1` is valid TOSCA that tosca-parser refuses: 1.2 is a superset
of it, so changing the version line is enough. TOSCA 2.0 (`tosca_2_0`) is a different language.

Example: `tosca_definitions_version: tosca_2_0`.
"""),
    _code("H2K702", "tosca-invalid", E, "tosca-parser rejects the TOSCA template.", """
The template breaks a rule of TOSCA that tosca-parser checks: an unknown type or field, a missing
required property, a requirement naming no node, a value of the wrong type, an import that is not
there. Each reason tosca-parser gives is one finding; tosca-parser gives no positions, so h2k
points at the first place in the template that the message names.

Example: `Template "server" contains unknown field "capabilitiess"` points at `capabilitiess:`.
"""),
    _code("H2K703", "tosca-import-refused", E, "An import is a URL, in a repository, or outside the template's "
          "directory.", """
h2k never uses the network and reads only files below the template's directory (or inside the
archive), the same rule as `get_file` in HOT. An import that is a URL, that names a repository,
or whose path leaves the directory is refused before tosca-parser reads the template (tosca-parser
itself would download it). Copy the file beside the template and import it by relative path.

Example: `imports: [https://example.com/custom_types/wordpress.yaml]`.
"""),
    _code("H2K704", "csar-invalid", E, "The CSAR archive cannot be read.", """
A CSAR is a zip archive whose `TOSCA-Metadata/TOSCA.meta` names the entry template
(`Entry-Definitions`), or which holds exactly one YAML file at its root. The archive is not a
readable zip, has no usable entry template, or expands to more than ten times the file size
limit.

Example: `Entry-Definitions: Definitions/missing.yaml` where the archive has no such file.
"""),
    _code("H2K705", "csar-unsafe-member", E, "An archive member would be written outside the archive's "
          "directory.", """
Members whose names are absolute, contain `..` or a drive letter, or that are symbolic links, are
how archives overwrite files elsewhere ("zip slip"). h2k refuses the whole archive before
extracting anything.

Example: a member named `../../home/user/.bashrc`.
"""),
    _code("H2K706", "tosca-node-not-translated", W, "A TOSCA node template has no translation.", """
h2k translates Compute, Container.Application, BlockStorage, ObjectStorage, LoadBalancer, network
Network, Port and FloatingIP nodes, the software hosted on a Compute, and the ETSI NFV profile's
Vdu.Compute, Vdu.VirtualBlockStorage, VduCp and VnfVirtualLink. A node of another type (or of a
custom type derived from none of those) is reported and left out; as a note, a Container.Runtime
(the cluster itself), the machine it runs on, a network that already exists and an NFV VNF node
(the descriptor as a whole) make nothing.

Example: `type: tosca.nodes.Root` with no host.
"""),
    _code("H2K707", "tosca-function-unresolved", W, "A TOSCA function has no value in the output.", """
`get_input`, `concat`, `join`, `token` and `get_property` are translated or evaluated at compile
time; `get_operation_output`, `get_artifact` and `get_nodes_of_type` have no counterpart, and a
`get_property` that names no property (or refers back to itself) has no value. The value is left
empty (null) where it was used.

Example: `{ get_operation_output: [ server, Standard, create, result ] }`.
"""),
    _code("H2K708", "tosca-attribute-unmapped", W, "A `get_attribute` names an attribute with no counterpart.",
          """
`get_attribute` becomes the attribute of the resource the node turned into: a Compute's or a
container's `private_address`, `public_address` and `ip_address` are its address (on Kubernetes,
the DNS name of its Service), `networks` its networks, a BlockStorage's `volume_id` the volume,
a Port's `ip_address` its fixed address, and a property can be read as an attribute of the same
name. Other attributes have no value in the output.

Example: `{ get_attribute: [ server, ports ] }`.
"""),
    _code("H2K709", "tosca-relationship-not-translated", W, "A relationship between nodes is not translated.",
          """
HostedOn places software on its Compute, AttachesTo mounts a BlockStorage on a Compute, ConnectsTo
gives a container the address of its target as `<TARGET>_HOST`, BindsTo and LinksTo wire ports to
servers and networks. A relationship that joins other kinds of nodes is reported; a ConnectsTo
from software on a server is a note (its scripts can read the address through an operation
input with `get_attribute`).

Example: an AttachesTo from a BlockStorage to an ObjectStorage.
"""),
    _code("H2K710", "tosca-policy-not-translated", W, "A TOSCA policy is not translated.", """
Scaling policies (and the Scalable capability of a Compute) make their target the member of a
group: a fixed size gives replicas, a range an autoscaling group. Placement, monitoring,
reservation, update and performance policies have no translation yet and are reported, as is a
scaling policy whose sizes or targets cannot be used.

Example: `type: tosca.policies.Placement` with `targets: [ server ]`.
"""),
    _code("H2K711", "tosca-operation-not-run", W, "A lifecycle operation is not part of the boot script.", """
The `create`, `configure` and `start` operations of the software hosted on a Compute become its
boot script, read from the template's directory. An operation whose implementation is not a shell
script (Ansible, Puppet, Python), is a URL, is outside the directory or cannot be read is left out;
operations of other interfaces are a note; an input whose name is not a shell variable name is
not exported.

Example: `configure: playbooks/site.yml`.
"""),
    _code("H2K712", "tosca-property-dropped", N, "A property of a TOSCA node is not carried over.", """
A node property with no counterpart in the translation (or a size that is not known at compile
time) is reported and left out; the rest of the node is translated.

Example: `component_version` of a SoftwareComponent hosted on a server.
"""),
    _code("H2K713", "tosca-input-adjusted", W, "A TOSCA input or output is changed or left out.", """
Inputs become HOT parameters: integer, float and PortDef are numbers, list and map are json,
sizes, times and versions strings; TOSCA constraints become HOT `allowed_values`, `range`,
`length` and `allowed_pattern`. A constraint with no HOT form, an input of a data type (a json
parameter whose properties are not checked), and a malformed input or output are reported.

Example: `greater_than: 0.5` on a float input.
"""),
    _code("H2K714", "tosca-load-balancer-not-translated", W, "A TOSCA LoadBalancer route is not translated.", """
A LoadBalancer becomes an Octavia load balancer (one listener on the `client` port, one pool with
the `algorithm`, a member per RoutesTo target), which the Kubernetes backend makes a Service of
type LoadBalancer selecting the targets' pods. A target that is not software on a Compute with an
endpoint port (a container, say) is not routed: give it a public endpoint (`network_name:
PUBLIC`) instead, which becomes a Service of type LoadBalancer of its own.

Example: `application: web_container` where web_container is a Container.Application.
"""),
    _code("H2K715", "tosca-section-ignored", N, "A section of the topology has no translation.", """
TOSCA groups and substitution mappings describe the topology rather than deploy anything; they
are noted and left out.

Example: `substitution_mappings: { node_type: example.DatabaseSystem }`.
"""),
    _code("H2K716", "tosca-component-without-host", W, "Hosted software is not on a Compute or a container.", """
A SoftwareComponent, WebServer, WebApplication, DBMS or Database runs where its `host`
requirement places it; its lifecycle scripts become the boot script of that Compute. Without a
host chain that ends on a Compute, there is nowhere to run them.

Example: a Database whose host DBMS has no `host` requirement.
"""),
    _code("H2K717", "tosca-container-without-image", W, "A TOSCA container has no image artifact.", """
A Container.Application becomes a Zun container (a Deployment) whose image is the `file` of its
artifact of type `tosca.artifacts.Deployment.Image...`. Without one there is no image to run and
the node is not translated.

Example: `artifacts: { app: { type: tosca.artifacts.Deployment.Image.Container.Docker, file: nginx:1.27 } }`.
"""),
    # -- 9xx: configuration and internal -------------------------------------------------------
    _code("H2K901", "internal-error", E, "h2k failed unexpectedly; please report it.", """
An unexpected exception. h2k prints one line and exits 2; rerun with `--debug` for the
traceback and include it in your report.
""", "io"),
    _code("H2K902", "invalid-emitted-object", E, "h2k produced an object that fails its schema; please report it.", """
Every emitted Kubernetes object is validated against the strict OpenAPI schema of the target
Kubernetes version. A failure is a bug in h2k, not in the template.
""", "io"),
    _code("H2K904", "invalid-adoption-file", E, "The adoption file (--adopt) cannot be read.", """
`--adopt` takes the JSON that `openstack stack resource list <stack> -f json` prints (a list of
rows with `resource_name` and `physical_resource_id`), or a map of resource name to ID (or to
`{"id": ..., "address": ...}` for a floating IP).
""", "io"),
    _code("H2K903", "invalid-config", E, "The h2k configuration file is invalid.", """
The config file (`--config`, `h2k.yaml` next to the template, or the `[tool.h2k]` table of the
project's `pyproject.toml`) must match `h2k/config.schema.json`; docs/configuration.md lists the
keys. The finding points at the offending key (in a pyproject.toml, at the nearest line that names
it) and its message gives the key's path.

Example: `stacks[0].ouptut: unknown key 'ouptut'; did you mean 'output'? known keys: ...`.
""", "io"),
    _code("H2K905", "config-shadowed", N, "A pyproject.toml [tool.h2k] table is ignored because h2k.yaml is used.", """
h2k reads one config file: `h2k.yaml` in the template's directory (the working directory for
`compile --all`) wins over the `[tool.h2k]` table of the nearest `pyproject.toml`. When both
exist, this note names the ignored one; merge them, or pass `--config` to choose.
"""),
    # -- 93x: migrating many stacks (`h2k migrate`) ---------------------------------------------
    _code("H2K930", "unusable-migration-source", E, "The source of `h2k migrate` cannot be used.", """
`h2k migrate SOURCE` takes a directory of templates, a directory holding a live stack's export
(`template.json`, ...), or a manifest: a YAML file with `stacks:`. Anything else, a manifest that
does not follow its schema (`h2k/migrate/manifest.schema.json`), two stacks with one name, or a
directory without any Heat template, stops the run before anything is compiled (exit 2). See
docs/migrate.md.

Example: `stacks.yaml:4:5: stacks[0]: 'template' is a required property [H2K930]`.
""", "io"),
    _code("H2K931", "stack-crashed", E, "Compiling one stack of a migration failed unexpectedly.", """
h2k failed on this stack (an h2k bug, or its worker process died): it is reported with the error,
nothing is written for it, and the other stacks go on. Compile it alone with `h2k --debug compile`
for the traceback, and include it in your report.
"""),
    _code("H2K932", "unreadable-parameter-file", E, "A parameter file of the migration manifest cannot be read.", """
`parameter_files:` in a manifest maps a parameter to a file whose content is its value (as
`--parameter-file`). The file must exist and be UTF-8 text; the stack is not compiled without it.
"""),
    _code("H2K933", "unusable-stack-export", E, "The `stack.json` of a stack export cannot be used.", """
`stack.json` in an export directory is the output of `openstack stack show <stack> -f json`: h2k
takes the stack's name from it (`stack_name`), on which the names of generated objects depend.
Export it again, or delete it to name the stack after its directory.
"""),
    # -- 94x: hints (`h2k hint`) ---------------------------------------------------------------
    _code("H2K940", "unfilled-hint", W, "A placeholder written by `h2k hint` is still unfilled.", """
`h2k hint` writes what h2k needs but cannot infer into the resources' metadata as placeholders in
angle brackets, for you to replace. Until a placeholder is replaced it is read as absent: the
server keeps no container image, the volume its assumed mount path, and so on, with the finding
that prompted the hint. A placeholder is never a valid value, so it never reaches a manifest.

Example: `h2k.io/image: "<container image for Glance image ubuntu-22.04>"` on `web` gives
`metadata h2k.io/image of web is still the placeholder ... that h2k hint wrote`; write
`h2k.io/image: registry.example.com/web:1.4` instead, or delete the line.
"""),
    _code("H2K941", "hint-not-written", W, "A value h2k needs that `h2k hint` cannot write into the template.", """
`h2k hint` only inserts lines into a resource's own definition, so that everything else in the
file stays byte for byte as it was. It leaves a resource alone, and says why, when that is not
possible: the resource comes from an inline `OS::Heat::Stack` template or a `ResourceChain`, its
definition or metadata is an alias shared with other resources, its metadata is computed by a
function, or the value does not belong in metadata (a Zun container's image is its `image`
property: map it under `images:` in the config file). Add the value by hand.
"""),
)

CODES: dict[str, Code] = {c.id: c for c in _ALL}
_BY_SLUG: dict[str, Code] = {c.slug: c for c in _ALL}


def code(key: str) -> Code:
    """Look a code up by id (`H2K004`) or slug (`duplicate-key`)."""
    found = CODES.get(key.upper()) or _BY_SLUG.get(key)
    if found is None:
        raise KeyError(key)
    return found
