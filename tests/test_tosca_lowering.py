"""The TOSCA front-end on small templates: functions, types, positions, refusals, archives."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from h2k.api import CompileOptions, check, compile
from h2k.ir.expr import Call, to_data
from h2k.ir.nodes import Resource

HEADER = "tosca_definitions_version: tosca_simple_yaml_1_3\n"


def write(tmp_path: Path, text: str, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    first, _, rest = text.partition("\n")  # the version line, then the body as indented in the test
    path.write_text(f"{first}\n{textwrap.dedent(rest).lstrip(chr(10))}", encoding="utf-8")
    return path


def compiled(tmp_path: Path, text: str, **options: Any) -> Any:
    return compile(write(tmp_path, text), CompileOptions(**options))


def codes(result: Any) -> list[str]:
    return [d.code.id for d in result.diagnostics]


def resource(result: Any, name: str) -> Resource:
    found = result.stack.resource(name)
    assert found is not None, [r.name for r in result.stack.resources]
    return found


def prop(resource: Resource, name: str) -> Any:
    value = resource.properties.get(name)
    return None if value is None else to_data(value)


def objects(result: Any, kind: str) -> dict[str, dict[str, Any]]:
    return {o.name: o.object for o in result.objects if o.kind == kind}


SERVER = HEADER + """
topology_template:
  inputs:
    cpus:
      type: integer
      default: 2
      constraints:
        - in_range: [1, 8]
    port:
      type: PortDef
      default: 8080
  node_templates:
    app:
      type: tosca.nodes.WebApplication
      properties:
        context_root: /app
      capabilities:
        app_endpoint:
          properties:
            port: { get_input: port }
      requirements:
        - host: web
    web:
      type: tosca.nodes.WebServer
      requirements:
        - host: server
    server:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
            mem_size: 2 GB
        os:
          properties:
            distribution: Fedora
            version: 40
  outputs:
    url:
      value: { concat: [ "http://", { get_attribute: [ server, private_address ] }, ":",
                         { get_property: [ app, app_endpoint, port ] }, { get_property: [ app, context_root ] } ] }
    where:
      value: { get_attribute: [ server, public_address ] }
    root:
      value: { join: [ [ a, { get_property: [ app, context_root ] }, c ], "," ] }
    part:
      value: { token: [ "a.b.c", ".", 2 ] }
"""


def test_compute_becomes_a_server_with_flavor_image_and_ports(tmp_path: Path) -> None:
    result = compiled(tmp_path, SERVER)
    server = resource(result, "server")
    assert server.type == "OS::Nova::Server"
    assert server.description == "TOSCA server: tosca.nodes.Compute"
    assert prop(server, "flavor") == "m1.medium"  # the smallest default flavor with 2 CPUs and 2 GB
    assert prop(server, "image") == "fedora-40"
    assert to_data(server.metadata) == {"h2k.io/port": [8080]}  # the hosted application's endpoint
    assert [r.name for r in result.stack.resources] == ["server"]  # hosted software makes no resource


def test_flavor_follows_the_given_inputs(tmp_path: Path) -> None:
    result = compiled(tmp_path, SERVER, parameters={"cpus": "4"})
    assert prop(resource(result, "server"), "flavor") == "m1.large"
    result = compiled(tmp_path, SERVER, parameters={"cpus": "1"})
    assert prop(resource(result, "server"), "flavor") == "m1.small"


def test_functions_are_hot_calls_evaluated_by_the_passes(tmp_path: Path) -> None:
    result = compiled(tmp_path, SERVER)
    outputs = {o.name: o.value for o in result.stack.outputs}
    url = outputs["url"]
    assert isinstance(url, Call) and url.function == "str_replace"
    # The known pieces are folded; the address is only known at deploy time, the port once bound.
    assert to_data(url)["str_replace"] == {"template": "http://%h2k-value-0%:%h2k-value-1%/app", "params": {
        "%h2k-value-0%": {"get_attr": ["server", "first_address"]}, "%h2k-value-1%": 8080}}
    assert to_data(outputs["where"]) == {"get_attr": ["server", "first_address"]}
    assert to_data(outputs["root"]) == "a,/app,c"
    assert to_data(outputs["part"]) == "c"


def test_inputs_become_parameters_with_heat_constraints(tmp_path: Path) -> None:
    result = compiled(tmp_path, SERVER)
    cpus = result.stack.parameter("cpus")
    assert cpus.type == "number" and to_data(cpus.constraints) == [{"range": {"min": 1, "max": 8}}]
    assert result.stack.parameter("port").type == "number"
    out_of_range = compiled(tmp_path, SERVER, parameters={"cpus": "16"})
    assert out_of_range.failed()


def test_custom_types_inherit_their_translation(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    node_types:
      example.BigServer:
        derived_from: tosca.nodes.Compute
        properties:
          flavor:
            type: string
            default: m1.xlarge
      example.Disk:
        derived_from: tosca.nodes.BlockStorage
        properties:
          size:
            type: scalar-unit.size
            default: 1500 MB
    topology_template:
      node_templates:
        big:
          type: example.BigServer
          properties:
            flavor: m1.large
        disk:
          type: example.Disk
          requirements: []
    """)
    assert resource(result, "big").type == "OS::Nova::Server"
    assert prop(resource(result, "big"), "flavor") == "m1.large"
    # The size is the type's default (not written in the template): 1500 MB rounded up to whole GiB.
    disk = resource(result, "disk")
    assert disk.type == "OS::Cinder::Volume"
    assert prop(disk, "size") is None or prop(disk, "size") == 2


def test_block_storage_is_mounted_where_attached(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    topology_template:
      node_templates:
        server:
          type: tosca.nodes.Compute
          requirements:
            - local_storage:
                node: data
                relationship:
                  type: tosca.relationships.AttachesTo
                  properties:
                    location: /srv/data
        data:
          type: tosca.nodes.BlockStorage
          properties:
            size: 3 GiB
    """, servers="container")
    attachment = resource(result, "data_attachment")
    assert attachment.type == "OS::Cinder::VolumeAttachment"
    assert prop(attachment, "mountpoint") == "/srv/data"
    assert prop(resource(result, "data"), "size") == 3
    deployment = objects(result, "Deployment")["server"]
    mounts = deployment["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    assert mounts == [{"name": "data", "mountPath": "/srv/data"}]
    assert objects(result, "PersistentVolumeClaim")["data"]["spec"]["resources"]["requests"]["storage"] == "3Gi"


CONTAINER = HEADER + """
node_types:
  example.Web:
    derived_from: tosca.nodes.Container.Application
    capabilities:
      http:
        type: tosca.capabilities.Endpoint
policy_types:
  example.Scaling:
    derived_from: tosca.policies.Scaling
    properties:
      min_instances: { type: integer }
      max_instances: { type: integer }
      default_instances: { type: integer }
topology_template:
  node_templates:
    web:
      type: example.Web
      capabilities:
        http:
          properties:
            port: 80
            network_name: PUBLIC
      requirements:
        - host: runtime
      artifacts:
        image:
          type: tosca.artifacts.Deployment.Image.VM
          file: nginx:1.27
    runtime:
      type: tosca.nodes.Container.Runtime
      capabilities:
        host:
          properties:
            num_cpus: 2
            mem_size: 256 MiB
      requirements:
        - host: node
    node:
      type: tosca.nodes.Compute
  policies:
    - scale:
        type: example.Scaling
        targets: [ web ]
        properties: { min_instances: 2, max_instances: 2, default_instances: 2 }
"""


def test_container_application_becomes_a_deployment_with_a_public_service(tmp_path: Path) -> None:
    result = compiled(tmp_path, CONTAINER)
    web = resource(result, "web")
    assert web.type == "OS::Zun::Container" and web.replication is not None
    deployment = objects(result, "Deployment")["web"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.27"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert container["resources"]["requests"] == {"cpu": "2", "memory": "256Mi"}
    assert deployment["spec"]["replicas"] == 2
    services = objects(result, "Service")
    assert [s["spec"]["type"] for s in services.values()] == ["LoadBalancer"]
    assert "H2K706" in codes(result)  # the runtime and its node are the cluster: notes


def test_container_without_image_is_reported_where_written(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    topology_template:
      node_templates:
        app:
          type: tosca.nodes.Container.Application
          requirements:
            - host: rt
        rt:
          type: tosca.nodes.Container.Runtime
          requirements:
            - host: n
        n:
          type: tosca.nodes.Compute
    """)
    found = [d for d in result.diagnostics if d.code.id == "H2K717"]
    assert [(d.span.line, d.span.column) for d in found] == [(4, 5)]


def test_parser_rejections_point_at_the_offending_key(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    topology_template:
      node_templates:
        server:
          type: tosca.nodes.Compute
          capabilitiess:
            host: {}
    """)
    errors = [d for d in result.diagnostics if d.code.id == "H2K702"]
    assert errors and all(d.severity.label == "error" for d in errors)
    assert (errors[0].span.line, errors[0].span.column) == (6, 7)
    assert "capabilitiess" in errors[0].message
    assert result.stack is None


def test_unknown_function_arguments_are_reported(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    topology_template:
      node_templates:
        server:
          type: tosca.nodes.Compute
      outputs:
        out:
          value: { get_operation_output: [ server, Standard, create, result ] }
    """)
    found = [d for d in result.diagnostics if d.code.id == "H2K707"]
    assert [(d.span.line, d.span.column) for d in found] == [(8, 16)]


def test_url_imports_are_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("h2k tried the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = compiled(tmp_path, HEADER + """
    imports:
      - https://example.com/types.yaml
      - types: { file: types.yaml, repository: upstream }
      - ../outside.yaml
    topology_template:
      node_templates: {}
    """)
    found = [(d.code.id, d.span.line) for d in result.diagnostics]
    assert found == [("H2K703", 3), ("H2K703", 4), ("H2K703", 5)]


def test_imports_are_followed_and_checked(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "imports: [ https://example.com/deeper.yaml ]\n", "types/base.yaml")
    result = compiled(tmp_path, HEADER + """
    imports: [ types/base.yaml ]
    topology_template:
      node_templates: {}
    """)
    assert codes(result) == ["H2K703"]
    assert result.diagnostics[0].span.file.endswith("base.yaml")


def test_lifecycle_scripts_become_the_boot_script_in_order(tmp_path: Path) -> None:
    write(tmp_path, "echo install db\n", "db_create.sh")
    write(tmp_path, "echo start db\nexit 0\n", "db_start.sh")
    write(tmp_path, "echo configure app\n", "app_configure.sh")
    result = compiled(tmp_path, HEADER + """
    topology_template:
      inputs:
        greeting: { type: string, default: "it's" }
      node_templates:
        app:
          type: tosca.nodes.SoftwareComponent
          requirements:
            - host: server
            - dependency: db
          interfaces:
            Standard:
              configure:
                implementation: app_configure.sh
                inputs:
                  SERVER: { get_attribute: [ HOST, private_address ] }
                  GREETING: { get_input: greeting }
              stop: app_stop.sh
        db:
          type: tosca.nodes.DBMS
          requirements:
            - host: server
          interfaces:
            Standard:
              operations:
                start: db_start.sh
                create: db_create.sh
                configure: setup.yml
        server:
          type: tosca.nodes.Compute
    """)
    script = resource(result, "server").properties.get("user_data")
    data = to_data(script)
    assert isinstance(data, dict)  # the server's address is only known at deploy time
    text = data["str_replace"]["template"]
    assert text.index("echo install db") < text.index("echo start db") < text.index("echo configure app")
    assert "(\necho start db\nexit 0\n)" in text  # a script that exits runs in a subshell
    assert "export greeting='%h2k-value-0%'" in text
    assert data["str_replace"]["params"]["%h2k-value-0%"] == "it'\"'\"'s"  # escaped for the quotes around it
    assert "export SERVER='%h2k-value-1%'" in text
    assert data["str_replace"]["params"]["%h2k-value-1%"] == {"get_attr": ["server", "first_address"]}
    assert [d.code.id for d in result.diagnostics if d.code.id == "H2K711"] == ["H2K711"]  # the Ansible one


def zip_csar(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


ENTRY = HEADER + """
topology_template:
  node_templates:
    server:
      type: tosca.nodes.Compute
      interfaces:
        Standard:
          create: Scripts/install.sh
      capabilities:
        os:
          properties: { distribution: debian, version: 12 }
"""


def test_a_csar_compiles_from_its_entry_definitions(tmp_path: Path) -> None:
    archive = zip_csar(tmp_path / "app.csar", {
        "TOSCA-Metadata/TOSCA.meta": "TOSCA-Meta-File-Version: 1.0\nEntry-Definitions: Definitions/main.yaml\n",
        "Definitions/main.yaml": ENTRY,
        "Definitions/Scripts/install.sh": "apt-get install -y nginx\nnginx -g 'daemon off;'\n",
    })
    result = compile(archive, CompileOptions())
    assert result.stack is not None, [str(d) for d in result.diagnostics]
    user_data = prop(resource(result, "server"), "user_data")
    assert "apt-get install -y nginx" in user_data
    assert all(d.span.file.startswith(str(archive)) for d in result.diagnostics)
    assert not list(tmp_path.glob("h2k-csar-*"))


def test_a_csar_with_a_path_outside_is_refused(tmp_path: Path) -> None:
    archive = zip_csar(tmp_path / "evil.zip", {
        "TOSCA-Metadata/TOSCA.meta": "Entry-Definitions: main.yaml\n",
        "main.yaml": ENTRY,
        "../../escaped.sh": "echo gotcha\n",
    })
    result = compile(archive, CompileOptions())
    assert codes(result) == ["H2K705"] and result.stack is None
    assert not (tmp_path.parent / "escaped.sh").exists()


def test_a_csar_without_an_entry_is_refused(tmp_path: Path) -> None:
    archive = zip_csar(tmp_path / "empty.csar", {"README.txt": "nothing\n", "a.yaml": ENTRY, "b.yaml": ENTRY})
    assert codes(compile(archive, CompileOptions())) == ["H2K704"]
    not_zip = write(tmp_path, "just text", "not.zip")
    assert codes(compile(not_zip, CompileOptions())) == ["H2K704"]


def test_unsupported_versions_and_cfn_keep_their_codes(tmp_path: Path) -> None:
    result = compiled(tmp_path, "tosca_definitions_version: tosca_simple_yaml_1_1\ntopology_template: {}\n")
    assert codes(result) == ["H2K701"]
    cfn = compiled(tmp_path, "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    assert codes(cfn) == ["H2K012"]


def test_check_runs_the_tosca_front_end(tmp_path: Path) -> None:
    path = write(tmp_path, SERVER)
    assert [d.code.id for d in check([str(path)]) if d.severity.label == "error"] == []
    broken = write(tmp_path, HEADER + "topology_template:\n  node_templates:\n    x: {type: no.Such}\n", "b.yaml")
    assert [d.code.id for d in check([str(broken)])] == ["H2K702"]


def test_tosca_parser_is_not_imported_at_start_up() -> None:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "h2k", "--version"], capture_output=True,
                         text=True, check=True)
    assert "toscaparser" not in run.stderr


def test_the_residual_stack_is_hot(tmp_path: Path) -> None:
    result = compiled(tmp_path, SERVER)
    import yaml

    infra = yaml.safe_load(result.files["openstack/infra.yaml"])
    assert infra["heat_template_version"] == "2021-04-16"
    assert infra["resources"]["server"] == {"type": "OS::Nova::Server", "properties": {
        "flavor": "m1.medium", "image": "fedora-40"}, "metadata": {"h2k.io/port": [8080]}}
    assert infra["outputs"]["where"] == {"value": {"get_attr": ["server", "first_address"]}}




def test_an_import_tosca_parser_would_take_from_the_working_directory_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, HEADER + "node_types: {}\n", "types.yaml")
    template = write(tmp_path, HEADER + """
    imports: [ types.yaml ]
    topology_template:
      node_templates: {}
    """, "sub/t.yaml")
    monkeypatch.chdir(tmp_path)
    assert [(d.code.id, d.span.line) for d in check([str(template)])] == [("H2K703", 2)]


def test_optional_inputs_without_a_default_are_empty(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    topology_template:
      inputs:
        note: { type: string, required: false }
        tags: { type: list, required: false, entry_schema: { type: string } }
        count: { type: integer }
      node_templates: {}
    """)
    assert to_data(result.stack.parameter("note").default) == ""
    assert result.stack.parameter("tags").type == "json" and to_data(result.stack.parameter("tags").default) == []
    assert [d.code.id for d in result.diagnostics] == ["H2K105"]  # a required input still needs its value


def test_a_load_balancer_is_an_octavia_chain_and_one_service(tmp_path: Path) -> None:
    result = compiled(tmp_path, HEADER + """
    topology_template:
      node_templates:
        lb:
          type: tosca.nodes.LoadBalancer
          properties:
            algorithm: least_connections
          capabilities:
            client:
              properties:
                port: 80
          requirements:
            - application: app
        app:
          type: tosca.nodes.WebServer
          capabilities:
            data_endpoint:
              properties:
                port: 8080
          requirements:
            - host: server
        server:
          type: tosca.nodes.Compute
    """, servers="container")
    types = {r.name: r.type for r in result.stack.resources}
    assert types == {"server": "OS::Nova::Server", "lb": "OS::Octavia::LoadBalancer",
                     "lb_listener": "OS::Octavia::Listener", "lb_pool": "OS::Octavia::Pool",
                     "lb_member_app": "OS::Octavia::PoolMember"}
    service = objects(result, "Service")["lb"]
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["ports"] == [{"name": "tcp-80", "port": 80, "targetPort": 8080, "protocol": "TCP"}]
    assert service["metadata"]["annotations"]["loadbalancer.openstack.org/lb-method"] == "LEAST_CONNECTIONS"


def test_an_nfv_unit_is_a_server_with_its_storage_and_network(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "openstack+heat-translator" / \
        "samples" / "tests" / "data" / "etsi_nfv"
    if not (data / "etsi_nfv_sol001_vnfd_types.yaml").is_file():
        pytest.skip("the ETSI NFV type definitions come from the corpus")
    template = data / "tosca_nfv_vnf_vdu_cp_vl_blockstorage_with_scaling.yaml"
    result = compile(template, CompileOptions(servers="container"))
    types = {r.name: r.type for r in result.stack.resources}
    assert types == {"VDU1": "OS::Nova::Server", "VirtualStorage": "OS::Cinder::Volume",
                     "CP1": "OS::Neutron::Port", "VL1": "OS::Neutron::Net", "VL1_subnet": "OS::Neutron::Subnet",
                     "VirtualStorage_attachment": "OS::Cinder::VolumeAttachment"}
    vdu = resource(result, "VDU1")
    assert prop(vdu, "image") == "Software of VDU1" and prop(vdu, "flavor") == "m1.small"
    assert prop(vdu, "networks") == [{"port": {"get_resource": "CP1"}}]
    assert prop(resource(result, "VL1_subnet"), "cidr") == "11.11.0.0/24"
    assert objects(result, "PersistentVolumeClaim")["virtualstorage"]["spec"]["resources"]["requests"] == {
        "storage": "30Gi"}
