"""A cmi5 course published as an online activity, and an AU's side of a session: reading the
launch URL, fetching the token, and the statements a well-behaved AU sends."""
import base64
import json
import uuid
from urllib.parse import parse_qs, urlsplit

from tests.courses.packages import cmi5_builders
from tests.credits.online.scorm.helpers import make_package_module

CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
VERB = "http://adlnet.gov/expapi/verbs/"


def make_cmi5_module(*, director, **fields):
    return make_package_module(director=director, zip_bytes=cmi5_builders.cmi5_zip(), **fields)


class AuClient:
    """What an AU does with its launch URL, through the Django test client (no cookies)."""

    def __init__(self, client, launch_url: str):
        self.client = client
        query = parse_qs(urlsplit(launch_url).query)
        self.params = {name: values[0] for name, values in query.items()}
        self.actor = json.loads(self.params["actor"])
        self.endpoint = urlsplit(self.params["endpoint"]).path
        self.token = ""
        self.session_id = ""

    def fetch(self) -> dict:
        return self.client.post(urlsplit(self.params["fetch"]).path).json()

    def start(self) -> None:
        self.token = self.fetch()["auth-token"]
        launch_data = json.loads(self.state_get("LMS.LaunchData").content)
        self.session_id = launch_data["contextTemplate"]["extensions"][SESSION]

    def headers(self, token=None) -> dict:
        value = base64.b64encode(b"x").decode() if token == "wrong" else (token or self.token)
        return {"Authorization": f"Basic {value}", "X-Experience-API-Version": "1.0.3"}

    def state_params(self, state_id: str) -> str:
        return "&".join([f"activityId={self.params['activityId']}",
                         f"agent={json.dumps(self.actor)}",
                         f"registration={self.params['registration']}", f"stateId={state_id}"])

    def state_get(self, state_id: str):
        return self.client.get(f"{self.endpoint}activities/state?{self.state_params(state_id)}",
                               headers=self.headers())

    def statement(self, verb: str, **result) -> dict:
        return {"id": str(uuid.uuid4()), "actor": self.actor,
                "verb": {"id": VERB + verb}, "object": {"id": self.params["activityId"]},
                "context": {"registration": self.params["registration"],
                            "contextActivities": {"category": [{"id": CMI5}]},
                            "extensions": {SESSION: self.session_id}},
                **({"result": result} if result else {})}

    def send(self, *statements, token=None):
        return self.client.post(f"{self.endpoint}statements", json.dumps(list(statements)),
                                content_type="application/json", headers=self.headers(token))
