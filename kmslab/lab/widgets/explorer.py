"""The API explorer: any of the actions, a form generated from the action table, the call,
and the HTTP request the official SDK would send for it, like Tencent's API Explorer.

The form comes from the table (type, required flag and limits of every parameter), so it
never drifts from what the service validates. A value is sent as typed when it parses
(an integer, JSON for lists and structures) and as raw text otherwise, so a wrong value
meets the service's own documented error rather than a check of the explorer's. The
signed request is built by the official SDK itself (``tencentcloud-sdk-python``), never
sent; the snippets name credentials by environment variable, never by value.
"""

from __future__ import annotations

import json
import shlex
import uuid
import warnings
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from kmslab.actions.spec import BOOLEAN, INTEGER, INTEGER_SIGNED, STRING, Param
from kmslab.actions.table import ACTIONS, STRUCTS
from kmslab.core.assembly import built_actions
from kmslab.lab.views import scope
from kmslab.lab.widgets.panel import Panel, button, close_all, esc

if TYPE_CHECKING:
    from kmslab.core.facade import AccountView
    from kmslab.core.service import KMS

DEFAULT_HOST = "kms.tencentcloudapi.com"
API_VERSION = "2019-01-18"


def describe_limits(param: Param) -> str:
    """The parameter's type and documented limits in a few words, for the form."""
    parts = [param.type]
    lim = param.limits
    if lim is not None:
        if lim.choices:
            parts.append("one of " + ", ".join(str(c) for c in lim.choices if c != ""))
        if lim.min_length is not None or lim.max_length is not None:
            parts.append(f"{lim.min_length or 0}-{lim.max_length or '∞'} characters")
        if lim.max_bytes is not None:
            parts.append(f"≤ {lim.max_bytes} bytes")
        if lim.minimum is not None or lim.maximum is not None:
            low = "" if lim.minimum is None else lim.minimum
            high = "" if lim.maximum is None else lim.maximum
            parts.append(f"{low}..{high}")
        if lim.max_items is not None:
            parts.append(f"≤ {lim.max_items} items")
        if lim.pattern:
            parts.append(f"matching {lim.pattern}")
    if param.item_type in STRUCTS or param.is_list:
        parts.append("JSON")
    return "; ".join(parts)


def _field(param: Param) -> w.Widget:
    label = f"{param.name}{' *' if param.required else ''}"
    common = {
        "description": label,
        "style": {"description_width": "220px"},
        "layout": w.Layout(width="640px"),
    }
    hint = describe_limits(param)
    if param.type == BOOLEAN:
        return w.Dropdown(options=["", "true", "false"], tooltip=hint, **common)
    lim = param.limits
    if param.type in (STRING, INTEGER, INTEGER_SIGNED) and lim is not None and lim.choices:
        return w.Dropdown(options=["", *(str(c) for c in lim.choices if c != "")], **common)
    if param.is_list or param.item_type in STRUCTS:
        return w.Textarea(placeholder=hint, **common)
    return w.Text(placeholder=hint, **common)


def _value(param: Param, text: str) -> Any:
    """What to send for ``text``: typed when it parses, else the text itself."""
    if param.type in (INTEGER, INTEGER_SIGNED):
        try:
            return int(text)
        except ValueError:
            return text
    if param.type == BOOLEAN:
        return {"true": True, "false": False}.get(text.lower(), text)
    if param.is_list or param.item_type in STRUCTS:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


class ApiExplorer(Panel):
    """Choose an ``action``; fill ``fields`` (one per parameter, from the action table);
    ``buttons["call"]`` calls it. ``response`` shows the answer or the error, ``request``
    the signed HTTP request the official SDK would send, ``snippets`` the same call in
    Python (SDK) and tccli. ``endpoint``: a running ``kms.serve()`` handle to target, else
    the public host ``kms.tencentcloudapi.com``.
    """

    def __init__(self, kms: KMS | AccountView, endpoint: Any = None) -> None:
        super().__init__(kms)
        self.endpoint = endpoint
        names = sorted(ACTIONS)
        self.action = w.Dropdown(
            options=[(f"{n}{'' if n in built_actions() else ' (not built)'}", n) for n in names],
            value="Encrypt" if "Encrypt" in names else names[0],
            description="Action",
            layout=w.Layout(width="460px"),
        )
        self.summary = w.HTML()
        self.form = w.VBox()
        self.fields: dict[str, w.Widget] = {}
        self.response = w.HTML()
        self.request = w.HTML()
        self.snippets = w.HTML()
        self.outputs = [self.response]
        self.last_params: dict = {}
        self.buttons = {"call": button("Call", "primary")}
        self.buttons["call"].on_click(lambda _: self.call_action())
        self.action.observe(lambda _: self._build_form(), names="value")
        self.widget = w.VBox(
            [
                w.HTML(f"<b>API explorer</b> ({len(ACTIONS)} actions, version {API_VERSION})"),
                self.action,
                self.summary,
                self.form,
                self.buttons["call"],
                self.status,
                self.response,
                w.Accordion(
                    children=[self.request, self.snippets],
                    titles=("Signed HTTP request (official SDK, TC3)", "Python SDK and tccli"),
                ),
            ]
        )
        self.widget.add_class("kmslab-explorer")
        self._build_form()

    def _build_form(self) -> None:
        spec = ACTIONS[self.action.value]
        close_all(self.form.children)
        self.fields = {p.name: _field(p) for p in spec.params}
        for field in self.fields.values():
            field.observe(lambda _: self._show_request(), names="value")
        built = "" if spec.name in built_actions() else " <i>(not built in this kmslab yet)</i>"
        qps = f", documented limit {spec.qps}/s" if spec.qps else ""
        self.summary.value = f"<small>{esc(spec.summary)}{qps}{built}</small>"
        self.form.children = list(self.fields.values()) or [w.HTML("<i>no parameters</i>")]
        self.clear_outputs()
        self.status.value = ""
        self._show_request()

    def params(self) -> dict:
        """The request parameters as the form stands: empty fields are left out."""
        spec = ACTIONS[self.action.value]
        out = {}
        for param in spec.params:
            text = str(self.fields[param.name].value).strip()
            if text:
                out[param.name] = _value(param, text)
        return out

    def call_action(self) -> dict | None:
        """Call the action with the form's parameters; show the response or the error."""
        params = self.params()
        self.last_params = params
        self._show_request()
        result = self.call(self.action.value, params)
        if result is None:
            err = self.last_error
            self.response.value = (
                f'<pre class="kmslab-explorer-error">{esc(json.dumps(_error_body(err), indent=2))}'
                "</pre>"
            )
            return None
        body = {"Response": result}
        self.response.value = (
            f'<pre class="kmslab-explorer-response">{esc(json.dumps(body, indent=2))}</pre>'
        )
        return result

    # -- what the official SDK would send ---------------------------------------------------

    def _host(self) -> str:
        return getattr(self.endpoint, "endpoint", None) or DEFAULT_HOST

    def signed_request(self) -> dict:
        """The request the official SDK would send for the form's parameters (TC3, POST,
        JSON): ``method``, ``host``, ``path``, ``headers``, ``body``. Built by the SDK's
        own request builder with the account's first key pair; nothing is sent."""
        from tencentcloud.common import credential
        from tencentcloud.common.http.request import RequestInternal
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.kms.v20190118 import kms_client

        service, uin, region = scope(self.kms)
        key = service.api_keys(uin)[0]
        http = HttpProfile(endpoint=self._host(), reqMethod="POST")
        cred = credential.Credential(key.secret_id, key.secret_key, key.token or None)
        client = kms_client.KmsClient(cred, region, ClientProfile(httpProfile=http))
        params = _sdk_params(self.action.value, self.params())
        req = RequestInternal(self._host(), "POST", "/", header={"X-TC-TraceId": _trace_id()})
        with warnings.catch_warnings():  # the SDK's datetime.utcfromtimestamp, on 3.12+
            warnings.simplefilter("ignore", DeprecationWarning)
            client._build_req_inter(self.action.value, params, req)
        headers = dict(req.header)
        body = req.data if isinstance(req.data, str) else req.data.decode()
        headers["Content-Length"] = str(len(body.encode()))
        return {"method": "POST", "host": req.host, "path": "/", "headers": headers, "body": body}

    def _show_request(self) -> None:
        try:
            signed = self.signed_request()
        except ImportError:
            self.request.value = "<i>the official SDK is not installed (the server extra)</i>"
        else:
            lines = ["POST / HTTP/1.1"] + [f"{k}: {v}" for k, v in signed["headers"].items()]
            text = "\n".join(lines) + "\n\n" + signed["body"]
            self.request.value = f'<pre class="kmslab-explorer-request">{esc(text)}</pre>'
        self.snippets.value = (
            "<b>Python (tencentcloud-sdk-python)</b>"
            f'<pre class="kmslab-explorer-python">{esc(self.python_snippet())}</pre>'
            f'<b>tccli</b><pre class="kmslab-explorer-tccli">{esc(self.tccli_snippet())}</pre>'
        )

    def python_snippet(self) -> str:
        """The same call with the official Python SDK (credentials from the environment)."""
        _, _, region = scope(self.kms)
        action = self.action.value
        return (
            "import json, os\n"
            "from tencentcloud.common import credential\n"
            "from tencentcloud.common.profile.client_profile import ClientProfile\n"
            "from tencentcloud.common.profile.http_profile import HttpProfile\n"
            "from tencentcloud.kms.v20190118 import kms_client, models\n\n"
            "cred = credential.Credential(\n"
            '    os.environ["TENCENTCLOUD_SECRET_ID"], os.environ["TENCENTCLOUD_SECRET_KEY"]\n'
            ")\n"
            f'http = HttpProfile(endpoint="{self._host()}")\n'
            f'client = kms_client.KmsClient(cred, "{region}", ClientProfile(httpProfile=http))\n'
            f"req = models.{action}Request()\n"
            f"req.from_json_string(json.dumps({json.dumps(self.params(), ensure_ascii=False)}))\n"
            f"print(client.{action}(req).to_json_string())\n"
        )

    def tccli_snippet(self) -> str:
        """The same call with tccli (credentials from ``TENCENTCLOUD_SECRET_ID``/``_KEY``)."""
        _, _, region = scope(self.kms)
        words = ["tccli", "kms", self.action.value, "--region", region]
        if self.endpoint is not None:
            words += ["--endpoint", self._host()]
        for name, value in self.params().items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            words += [f"--{name}", text]
        return " ".join(shlex.quote(word) for word in words)


def _trace_id() -> str:
    # The SDK adds a random X-TC-TraceId to every request (unsigned); so does this preview.
    return str(uuid.uuid4())


def _sdk_params(action: str, params: dict) -> dict:
    """The parameters as the SDK serializes its request model (its own field order)."""
    from tencentcloud.kms.v20190118 import models

    model = getattr(models, f"{action}Request", None)
    if model is None:  # an action this SDK version does not know: the dict as given
        return params
    req = model()
    try:
        with warnings.catch_warnings():  # the SDK warns about fields its model lacks
            warnings.simplefilter("ignore")
            req.from_json_string(json.dumps(params))
    except (TypeError, ValueError, AttributeError, KeyError):
        return params
    serialized = req._serialize(allow_none=False)
    # The SDK drops what its model does not know; keep the caller's extras as the SDK's
    # generic ``call_json`` would send them.
    return {**serialized, **{k: v for k, v in params.items() if k not in serialized}}


def _error_body(err: Any) -> dict:
    return {
        "Response": {
            "Error": {"Code": err.code, "Message": err.message},
            "RequestId": getattr(err, "request_id", ""),
        }
    }
