"""The Kubernetes backend: plain-dict manifests for the workload side of a stack."""
