"""One kernel reached over a Jupyter server's websocket, as JupyterLab 4 reaches it (for benchmarks/hub_load.py):
run cells, collect their outputs and widgets, send widget updates.

The websocket speaks the protocol JupyterLab 4 asks for, ``v1.kernel.websocket.jupyter.org`` (@jupyterlab/services'
KernelConnection offers its ``supportedKernelWebSocketProtocols``): the server relays the message parts without
parsing them. Messages are framed with Jupyter Server's own functions.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import nbformat
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1

CELL_TIMEOUT = 600.0
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"


class Kernel:
    """One kernel reached over the server's websocket, running cells and sending widget updates."""

    def __init__(self, connection, session: str) -> None:
        self.connection, self.session = connection, session
        self.outputs: dict[str, list[dict]] = {}     # request msg_id → outputs
        self.comms: dict[str, list[dict]] = {}       # request msg_id → comm_open contents
        self.done: dict[str, asyncio.Event] = {}
        self.replies: dict[str, dict] = {}
        self.idle: set[str] = set()
        self.displays: dict[str, list[dict]] = {}    # display_id → outputs that show it
        self._no_reply: dict[str, bool] = {}         # msg_id → done at idle (comm messages get no reply)
        self.closed = False
        self.reader = asyncio.ensure_future(self._read())

    def _message(self, msg_type: str, content: dict) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "username": "learner", "session": self.session,
                           "msg_type": msg_type, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "content": content}

    async def _read(self) -> None:
        while True:
            raw = await self.connection.read_message()
            if raw is None:  # the server closed the websocket: every pending request fails now
                self.closed = True
                for event in self.done.values():
                    event.set()
                return
            _channel, parts = deserialize_msg_from_ws_v1(raw)
            header, parent_header, metadata, content = (json.loads(part) for part in parts[:4])
            msg = {"header": header, "parent_header": parent_header, "metadata": metadata, "content": content}
            parent = (msg.get("parent_header") or {}).get("msg_id")
            kind, content = msg["header"]["msg_type"], msg.get("content") or {}
            if parent not in self.done:
                continue
            outputs = self.outputs[parent]
            if kind.endswith("_reply"):
                self.replies[parent] = content
            elif kind == "status" and content.get("execution_state") == "idle":
                self.idle.add(parent)
            elif kind == "comm_open":
                self.comms[parent].append(content)
            elif kind in ("display_data", "execute_result", "stream", "error"):
                output = nbformat.v4.output_from_msg(msg)
                outputs.append(output)
                display_id = (content.get("transient") or {}).get("display_id")
                if display_id:
                    self.displays.setdefault(display_id, []).append(output)
            elif kind == "update_display_data":
                for output in self.displays.get((content.get("transient") or {}).get("display_id"), []):
                    output["data"], output["metadata"] = content.get("data", {}), content.get("metadata", {})
            elif kind == "clear_output":
                outputs.clear()
            if parent in self.idle and (parent in self.replies or self._no_reply.get(parent)):
                self.done[parent].set()

    async def send(self, msg_type: str, content: dict, expect_reply: bool = True) -> str:
        message = self._message(msg_type, content)
        msg_id = message["header"]["msg_id"]
        self.outputs[msg_id], self.comms[msg_id], self.done[msg_id] = [], [], asyncio.Event()
        self._no_reply[msg_id] = not expect_reply
        await self.connection.write_message(serialize_msg_to_ws_v1(message, "shell", pack=lambda part: json.dumps(
            part).encode()), binary=True)
        await asyncio.wait_for(self.done[msg_id].wait(), CELL_TIMEOUT)
        if self.closed:
            raise ConnectionError("the kernel's websocket was closed by the server")
        return msg_id

    async def execute(self, code: str, store_history: bool = True) -> tuple[list[dict], list[dict]]:
        msg_id = await self.send("execute_request", {"code": code, "silent": False, "store_history": store_history,
                                                     "user_expressions": {}, "allow_stdin": False,
                                                     "stop_on_error": True})
        reply = self.replies.get(msg_id, {})
        if reply.get("status") != "ok":
            raise RuntimeError(f"cell failed: {reply.get('ename')}: {reply.get('evalue')}")
        return self.outputs[msg_id], self.comms[msg_id]

    async def update_widget(self, comm_id: str, state: dict) -> None:
        await self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state,
                                                                   "buffer_paths": []}}, expect_reply=False)

    def close(self) -> None:
        self.reader.cancel()
        self.connection.close()
