"""SoftwareConfig and its kin -> a ConfigMap holding the script that a deployment runs, or a report.

A config only matters through what runs it. A `group: script` config that a translated deployment
runs becomes a ConfigMap mounted into the init container (software_deployment.py). Anything else
(cloud-init documents, MIME multipart boot data, configs for other hooks, configs only passed as a
server's `user_data`) changes a virtual machine while it boots; a container image has to be built
with those changes instead, so h2k writes no object for it and says so (H2K413), rather than
leaving an unused ConfigMap in the cluster. A config that is the `user_data` of a server on
KubeVirt is that machine's boot data: its text is in the machine's user data Secret (cloud_init.py).
"""

from __future__ import annotations

from h2k.backends.kubernetes.config_users import config_users
from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.software_deployment import CONFIG_KEY, group_of, runnable_config
from h2k.diagnostics.codes import Severity
from h2k.ir.nodes import Resource

MAPPED = {
    "config": f"the ConfigMap's `{CONFIG_KEY}` key, when a translated deployment runs it",
    "group": "whether it runs: only `script` configs are run (by init containers)",
    "inputs": "environment variables of the init containers that run it (names and defaults)",
    "outputs": "nothing: the script may still write them under `$heat_outputs_path`, but nothing reads them",
    "options": "nothing: `script` configs take no options",
}
HANDLED = frozenset(MAPPED)
# Types whose content is a virtual machine's boot data and never runs in a container.
BOOT_DATA = {"OS::Heat::CloudConfig": "a cloud-init document", "OS::Heat::MultipartMime": "MIME multipart boot data"}


def emit_config(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    users = config_users(ctx)
    used = resource.name in users.run_in_pods
    if not used and resource.name in users.vm_boot:
        return []  # the boot data of a virtual machine on KubeVirt: in its user data Secret
    imaged = users.imaged.get(resource.name)
    if imaged:
        ctx.sink.report("H2K413", f"{resource.name} has no object: the image of {', '.join(imaged)} is built from "
                        "it (H2K610)", resource.span, Severity.INFO)
        return []
    if resource.type in BOOT_DATA:
        ctx.sink.report("H2K413", f"{resource.name} is {BOOT_DATA[resource.type]} for a virtual machine; a "
                        "container image must be built with what it does, so it has no object", resource.span)
        return []
    report_unhandled(resource, HANDLED, {}, ctx)
    script = runnable_config(resource)
    if script is None or not used:
        deployments = users.deployments.get(resource.name, [])
        why = (f"its deployments ({', '.join(deployments)}) do not run in the pods" if deployments else
               "no deployment runs it, and as a server's boot data it only changes a virtual machine")
        ctx.sink.report("H2K413", f"config {resource.name} ({group_of(resource)}) has no object: {why}",
                        resource.span)
        return []
    return [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": ctx.metadata(resource),
             "data": {CONFIG_KEY: script}}]
