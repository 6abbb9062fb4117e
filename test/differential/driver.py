"""The Python side of the differential suite (test/differential/differential.test.ts).

Reads one JSON scenario per line on stdin, runs it through a requests Session set up exactly as
the seed's session sets it up, and writes one JSON result per line on stdout: the outcome, and
every sleep urllib3's Retry asked for (time.sleep is replaced, so nothing waits).

The sessions are written from the seeds (../../../shared/seeds/) and SPEC §9, not imported:
- CAVEclient 8.2.1, `set_session_defaults` and its session patch: Retry(total=max_retries,
  backoff_factor, status_forcelist, allowed_methods={GET, POST}, backoff_max,
  raise_on_status=False) in HTTPAdapter(pool_maxsize, pool_block, max_retries=retry),
  mounted on a requests.Session for http:// and https://.
- qBraid's Session: a requests.Session with base_url (qBraid's join), headers, auth_headers,
  PostForcelistRetry(total=retries_total, connect=retries_connect, backoff_factor,
  status_forcelist=STATUS_FORCELIST) in HTTPAdapter(max_retries=retries), add_user_agent, and
  raise_for_status on every response.
"""

import json
import sys
import time
from urllib.parse import urljoin

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

SLEEPS = []


def recording_sleep(seconds):
    # urllib3's Retry sleeps through time.sleep (Retry.sleep -> _sleep_backoff / sleep_for_retry).
    SLEEPS.append(seconds)


time.sleep = recording_sleep


# --- CAVEclient -------------------------------------------------------------------------------

CAVECLIENT_DEFAULTS = {
    "max_retries": 3,
    "pool_block": False,
    "pool_maxsize": 10,
    "backoff_factor": 0.1,
    "backoff_max": 120,
    "status_forcelist": (502, 503, 504),
}


def caveclient_session(config):
    defaults = dict(CAVECLIENT_DEFAULTS)
    defaults.update(config.get("session_defaults", {}))
    max_retries = config.get("max_retries", defaults["max_retries"])
    pool_block = config.get("pool_block", defaults["pool_block"])
    pool_maxsize = config.get("pool_maxsize", defaults["pool_maxsize"])
    session = requests.Session()
    retries = Retry(
        total=max_retries,
        backoff_factor=defaults["backoff_factor"],
        status_forcelist=defaults["status_forcelist"],
        allowed_methods=frozenset(["GET", "POST"]),
        backoff_max=defaults["backoff_max"],
        raise_on_status=False,
    )
    adapter = HTTPAdapter(pool_maxsize=pool_maxsize, pool_block=pool_block, max_retries=retries)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# --- qBraid -----------------------------------------------------------------------------------

STATUS_FORCELIST = (500, 502, 503, 504, 520, 522, 524)


class PostForcelistRetry(Retry):
    """qBraid's Retry: POST is retried on a forcelist status, whatever allowed_methods says."""

    def is_retry(self, method, status_code, has_retry_after=False):
        if method.upper() == "POST" and status_code in self.status_forcelist:
            return True
        return super().is_retry(method, status_code, has_retry_after)


class QbraidSession(requests.Session):
    def __init__(self, base_url=None, headers=None, auth_headers=None, retries_total=2, retries_connect=1, backoff_factor=0.5):
        super().__init__()
        self.base_url = base_url
        self.auth_headers = auth_headers or {}
        self.headers.update(headers or {})
        self.headers.update(self.auth_headers)
        retries = PostForcelistRetry(
            total=retries_total,
            connect=retries_connect,
            backoff_factor=backoff_factor,
            status_forcelist=STATUS_FORCELIST,
        )
        adapter = HTTPAdapter(max_retries=retries)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def add_user_agent(self, user_agent):
        current = self.headers.get("User-Agent", "")
        if user_agent not in current:
            self.headers["User-Agent"] = f"{current} {user_agent}"

    def _join(self, url):
        # qBraid's join: exactly one slash between base and input; an input with a scheme (also
        # one that had leading slashes, such as "/http://other/x") is kept, as urljoin keeps it.
        if self.base_url is None:
            return url
        return urljoin(self.base_url.rstrip("/") + "/", url.lstrip("/"))

    def request(self, method, url, *args, **kwargs):
        response = super().request(method, self._join(url), *args, **kwargs)
        response.raise_for_status()
        return response


def qbraid_session(config):
    session = QbraidSession(
        base_url=config.get("base_url"),
        headers=config.get("headers"),
        auth_headers=config.get("auth_headers"),
        **{key: config[key] for key in ("retries_total", "retries_connect", "backoff_factor") if key in config},
    )
    for user_agent in config.get("user_agents", []):
        session.add_user_agent(user_agent)
    return session


# --- running a scenario -----------------------------------------------------------------------


def outcome_of(error):
    """The outcome class of an exception, named as the suite's equivalence table names them."""
    if isinstance(error, requests.exceptions.TooManyRedirects):
        return {"kind": "TooManyRedirects"}
    if isinstance(error, requests.exceptions.RetryError):
        return {"kind": "RetryError"}
    if isinstance(error, requests.exceptions.HTTPError):
        return {"kind": "HTTPError", "status": error.response.status_code}
    if isinstance(error, requests.exceptions.ConnectionError):
        wrapped = bool(error.args) and isinstance(error.args[0], urllib3.exceptions.MaxRetryError)
        return {"kind": "ConnectionError(MaxRetryError)" if wrapped else "ConnectionError"}
    # requests' HTTPAdapter.send re-raises urllib3's InvalidHeader as its own InvalidHeader.
    if isinstance(error, (requests.exceptions.InvalidHeader, urllib3.exceptions.InvalidHeader)):
        return {"kind": "InvalidHeader"}
    return {"kind": "Other", "detail": f"{type(error).__name__}: {error}"}


def run(scenario):
    SLEEPS.clear()
    session = caveclient_session(scenario["config"]) if scenario["session"] == "caveclient" else qbraid_session(scenario["config"])
    request = scenario["request"]
    kwargs = {"headers": request.get("headers") or {}}
    if request.get("body") is not None:
        kwargs["data"] = request["body"].encode("utf-8")
    try:
        response = session.request(request["method"], request["url"], **kwargs)
        response.content  # read the body, as a caller would, so the connection goes back to the pool
        outcome = {"kind": "Response", "status": response.status_code}
    except Exception as error:  # every outcome is reported, none is lost
        outcome = outcome_of(error)
    finally:
        session.close()
    return {"outcome": outcome, "sleeps": list(SLEEPS)}


def main():
    print(json.dumps({"ready": True, "requests": requests.__version__, "urllib3": urllib3.__version__}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
