"""The deployment files are checked by reading, offline: the Kubernetes manifests in deploy/
against the schemas kubernetes-validate bundles (strict: no unknown field), docker-compose.yml
against the compose-spec schema check-jsonschema bundles, and both against the queues of
cpd_portal/queues.py, so a new queue without its worker fails here."""
import json
from importlib import resources
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from cpd_portal import queues

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
KUBERNETES_VERSION = "1.30.0"
DEFAULT_QUEUE = "cpd"
EXPECTED_QUEUES = {DEFAULT_QUEUE, *(queues.queue_name(DEFAULT_QUEUE, k) for k in queues.KINDS)}
SECRET_NAMES = {"SECRET_KEY", "CREDENTIAL_SIGNING_KEY", "DATABASE_URL", "REDIS_URL",
                "EMAIL_URL", "POSTGRES_PASSWORD"}


def _documents() -> list[dict]:
    return [document for path in MANIFESTS
            for document in yaml.safe_load_all(path.read_text()) if document]


def _of_kind(kind: str) -> list[dict]:
    return [document for document in _documents() if document["kind"] == kind]


def _containers(deployment: dict) -> list[dict]:
    return deployment["spec"]["template"]["spec"]["containers"]


def _queue_of(command: list[str]) -> str | None:
    return command[command.index("-Q") + 1] if "-Q" in command else None


@pytest.mark.parametrize("document", _documents(),
                         ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_manifest_is_valid_for_kubernetes(document):
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_a_worker_deployment_per_queue_each_with_an_autoscaler_and_a_disruption_budget():
    workers = {_queue_of(_containers(d)[0]["command"]): d["metadata"]["name"]
               for d in _of_kind("Deployment") if "worker" in _containers(d)[0]["command"]}
    assert set(workers) == EXPECTED_QUEUES
    scaled = {d["spec"]["scaleTargetRef"]["name"] for d in _of_kind("HorizontalPodAutoscaler")}
    budgeted = {d["metadata"]["name"] for d in _of_kind("PodDisruptionBudget")}
    assert set(workers.values()) | {"cpd-portal-web"} <= scaled
    assert set(workers.values()) | {"cpd-portal-web"} <= budgeted


def test_web_nodes_are_ready_on_healthz_and_named_and_no_manifest_holds_a_secret():
    (web,) = [d for d in _of_kind("Deployment") if d["metadata"]["name"] == "cpd-portal-web"]
    container = _containers(web)[0]
    assert "/healthz" in " ".join(container["readinessProbe"]["exec"]["command"])
    assert {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}} \
        in container["env"]
    assert not _of_kind("Secret")
    for deployment in _of_kind("Deployment"):
        for each in _containers(deployment):
            assert {"secretRef": {"name": "cpd-portal-env"}} in each["envFrom"]
            assert not SECRET_NAMES & {variable["name"] for variable in each.get("env", [])}
    for config_map in _of_kind("ConfigMap"):
        assert not SECRET_NAMES & set(config_map["data"])


def test_docker_compose_follows_the_compose_spec_and_runs_a_worker_per_queue():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    schema = json.loads(resources.files("check_jsonschema.builtin_schemas.vendor")
                        .joinpath("compose-spec.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(compose)
    services = compose["services"]
    worker_queues = {_queue_of(service["command"]) for service in services.values()
                     if "worker" in service.get("command", [])}
    assert worker_queues == EXPECTED_QUEUES
    assert services["web"]["deploy"]["replicas"] >= 2
    assert "web" in services["nginx"]["depends_on"]
    assert (ROOT / "deploy" / "nginx.conf").is_file()


def test_docker_compose_has_a_replica_profile_and_hands_its_url_to_web_and_workers():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    replica = services["replica"]
    assert replica["profiles"] == ["replica"]
    assert "postgres" in replica["depends_on"]
    entrypoint = (ROOT / "deploy" / "compose" / "replica-entrypoint.sh").read_text()
    assert "pg_basebackup -h postgres -U replicator" in entrypoint and " -R" in entrypoint
    assert "host replication replicator" in (
        ROOT / "deploy" / "compose" / "primary-replication.sh").read_text()
    portal = [service for service in services.values()
              if "worker" in service.get("command", []) or "gunicorn" in service.get(
                  "command", [])]
    assert len(portal) == len(EXPECTED_QUEUES) + 1
    for service in portal:
        assert service["environment"]["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"
