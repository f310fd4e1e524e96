"""A small NetworkPolicy evaluator: may a pod open a TCP connection to another pod's port?

Enough for our policies: pod and namespace selectors (matchLabels, matchExpressions), numeric
ports. An ipBlock never matches a pod here (pod addresses are not modelled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NAMESPACE = "credit"


@dataclass(frozen=True)
class Pod:
    labels: dict[str, str]
    namespace: str = NAMESPACE
    namespace_labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.namespace_labels.setdefault("kubernetes.io/metadata.name", self.namespace)


def selects(selector: dict[str, Any] | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return False
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        present = key in labels
        if not {"In": present and labels.get(key) in values,
                "NotIn": not present or labels.get(key) not in values,
                "Exists": present, "DoesNotExist": not present}[operator]:
            return False
    return True


def _peer_matches(peer: dict[str, Any], pod: Pod) -> bool:
    if "ipBlock" in peer:
        return False
    if "namespaceSelector" in peer:
        namespace_ok = selects(peer["namespaceSelector"], pod.namespace_labels)
    else:
        namespace_ok = pod.namespace == NAMESPACE
    pod_ok = selects(peer["podSelector"], pod.labels) if "podSelector" in peer else True
    return namespace_ok and pod_ok


def _rule_allows(rule: dict[str, Any], peers_key: str, other: Pod, port: int) -> bool:
    peers = rule.get(peers_key)
    peer_ok = True if not peers else any(_peer_matches(peer, other) for peer in peers)
    ports = rule.get("ports")
    port_ok = True if not ports else any(p.get("port") == port for p in ports)
    return peer_ok and port_ok


def allowed(policies: list[dict[str, Any]], source: Pod, destination: Pod, port: int) -> bool:
    """Whether the policies let ``source`` connect to ``destination`` on ``port``."""

    def side(pod: Pod, policy_type: str, rules_key: str, peers_key: str, other: Pod) -> bool:
        if pod.namespace != NAMESPACE:  # only our namespace has policies
            return True
        applying = [p for p in policies if policy_type in p["spec"].get("policyTypes", [])
                    and selects(p["spec"]["podSelector"], pod.labels)]
        if not applying:
            return True
        return any(_rule_allows(rule, peers_key, other, port)
                   for p in applying for rule in p["spec"].get(rules_key, []))

    return (side(source, "Egress", "egress", "to", destination)
            and side(destination, "Ingress", "ingress", "from", source))
