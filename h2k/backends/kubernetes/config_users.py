"""Who uses each software config: the pods that run it, the machines and images built from it.

Every config asks the same questions of the whole stack (is it run by a deployment in a pod? is it
a virtual machine's boot data? is an image built from it? which deployments name it?); answered
per config by scanning every resource, a stack of thousands of servers took quadratic time. Here
they are answered once per compile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.backends.kubernetes.context import BackendContext
from h2k.ir.links import resource_target


@dataclass
class ConfigUsers:
    run_in_pods: set[str] = field(default_factory=set)  # configs a translated deployment runs
    vm_boot: set[str] = field(default_factory=set)  # configs a KubeVirt machine's user data is made of
    imaged: dict[str, list[str]] = field(default_factory=dict)  # config -> servers whose image is built from it
    deployments: dict[str, list[str]] = field(default_factory=dict)  # config -> deployments that name it


def config_users(ctx: BackendContext) -> ConfigUsers:
    """The index, built on first use and kept on the context."""
    if ctx.config_users is None:
        ctx.config_users = _build(ctx)
    return ctx.config_users


def _build(ctx: BackendContext) -> ConfigUsers:
    from h2k.backends.kubernetes.built_image import builds_image
    from h2k.backends.kubernetes.cloud_init import boot_configs, configs_in

    users = ConfigUsers(vm_boot=boot_configs(ctx))
    users.run_in_pods = {step.config.name for steps in ctx.steps.values() for step in steps}
    for resource in ctx.stack.resources:
        if resource.role == "software-deployment":
            target = resource_target(resource.properties.get("config"))
            if target is not None:
                users.deployments.setdefault(target, []).append(resource.name)
        elif resource.role == "workload" and builds_image(resource, ctx):
            for config in configs_in([resource.properties.get("user_data")], ctx):
                users.imaged.setdefault(config, []).append(resource.name)
    return users

