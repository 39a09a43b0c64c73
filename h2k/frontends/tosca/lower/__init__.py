"""Lower a TOSCA topology into the IR, as the HOT resources that mean the same thing.

tosca-parser validates the template and answers the questions of types (what a node derives
from, its capabilities' defaults, its relationships); the values themselves, and every position,
come from h2k's own YAML nodes. Each node template becomes the HOT resource with its meaning, so
that the passes and backends that translate HOT translate it too, and keeps its TOSCA type in the
resource's description (`TOSCA <name>: <type>`) for the report. One module per concept:

- context.py: the node templates, the resources so far, what the value translator asks;
- kinds.py: what each node is; stack.py: the stack, node by node;
- compute.py: Compute as OS::Nova::Server (flavor, image); lifecycle.py: the lifecycle scripts of
  it and the components it hosts, as its boot script;
- container.py: Container.Application as OS::Zun::Container; connections.py: ConnectsTo;
- endpoints.py: Endpoint capabilities, the workload's ports, a public one a floating IP;
- volumes.py: BlockStorage and AttachesTo; object_storage.py: ObjectStorage;
- network.py: Network, Port, FloatingIP; load_balancer.py: LoadBalancer and RoutesTo;
- scaling.py: Scaling policies and the Scalable capability, as groups.

Everything else is reported with its position.
"""

from h2k.frontends.tosca.lower.stack import ToscaLowering

__all__ = ["ToscaLowering"]
