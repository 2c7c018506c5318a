"""Drives the real `konektor mcp` as an independent MCP client would (the Python MCP SDK), and prints what it saw as JSON.

Usage: drive_konektor_mcp.py SCENARIO TRANSPORT [ARGS...]
  TRANSPORT stdio: ARGS are the `konektor mcp` arguments; the byte streams are copied to $KONEKTOR_TRANSCRIPT.in/.out.
  TRANSPORT http:  ARGS are URL TOKEN_FILE.
Environment: KONEKTOR_BIN (the binary), SANDBOX_URL and SANDBOX_KEY (to look at the sandbox directly),
ELICIT (comma-separated answers to elicitations: accept, decline, cancel).
Scenarios: analyst, confirm, noelicit, supervised, hostile.
"""

import asyncio
import json
import os
import shlex
import subprocess
import sys
import urllib.request

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

LEAD_TOOLS = ("listLeads", "getLead", "createLead", "updateLead", "upsertLead")


def sandbox(path):
    request = urllib.request.Request(os.environ["SANDBOX_URL"] + path, headers={"Authorization": "Bearer " + os.environ["SANDBOX_KEY"]})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["data"]


def result_json(result):
    text = "".join(block.text for block in result.content if getattr(block, "type", "") == "text")
    return {"isError": bool(result.is_error), "value": json.loads(text) if text else None}


class Person:
    """Answers elicitations from a script, and remembers what it was asked."""

    def __init__(self, answers):
        self.answers = [a for a in answers.split(",") if a]
        self.asked = []

    async def __call__(self, context, params):
        schema = params.requested_schema
        dump = getattr(schema, "model_dump", None)
        self.asked.append({"message": params.message, "schema": dump(by_alias=True, exclude_none=True) if dump else schema})
        answer = self.answers.pop(0) if self.answers else "decline"
        if answer == "accept":
            return types.ElicitResult(action="accept", content={"always": False})
        return types.ElicitResult(action=answer)


async def scenario(name, session, person):
    out = {}
    tools = (await session.list_tools()).tools
    out["tools"] = [{"name": t.name, "description": t.description, "annotations": t.annotations.model_dump(by_alias=True, exclude_none=True) if t.annotations else None,
                     "properties": sorted((t.input_schema or {}).get("properties", {}).keys())} for t in tools]
    resources = (await session.list_resources()).resources
    out["resources"] = [str(r.uri) for r in resources]
    if name == "analyst":
        out["summary"] = result_json(await session.call_tool("getAnalyticsSummary", {"timeframe": "current_week"}))
        out["sandboxSummary"] = sandbox("/api/v2/agent/analytics/summary?timeframe=current_week")
        out["write"] = result_json(await session.call_tool("updateLead", {"id": "lead_x", "status": "qualified"}))
        policy = await session.read_resource("konektor://policy/effective")
        out["policyText"] = policy.contents[0].text
    elif name in ("confirm", "noelicit"):
        lead = sandbox("/api/v2/agent/leads?limit=1&status=new")[0]
        out["lead"] = {"id": lead["id"], "status": lead["status"]}
        out["first"] = result_json(await session.call_tool("updateLead", {"id": lead["id"], "status": "qualified"}))
        out["afterFirst"] = sandbox("/api/v2/agent/leads/" + lead["id"])["status"]
        if name == "confirm":
            out["second"] = result_json(await session.call_tool("updateLead", {"id": lead["id"], "status": "qualified"}))
            out["afterSecond"] = sandbox("/api/v2/agent/leads/" + lead["id"])["status"]
    elif name == "supervised":
        lead = sandbox("/api/v2/agent/leads?limit=1&status=new")[0]
        out["lead"] = {"id": lead["id"], "status": lead["status"]}
        proposed = result_json(await session.call_tool("updateLead", {"id": lead["id"], "status": "contacted"}))
        out["proposed"] = proposed
        reference = proposed["value"]["pending"]["approval"]
        out["beforeDecision"] = result_json(await session.call_tool("updateLead", {"pendingAction": reference}))
        out["afterProposal"] = sandbox("/api/v2/agent/leads/" + lead["id"])["status"]
        approve = subprocess.run([os.environ["KONEKTOR_BIN"], "approvals", "approve", reference, "--note", "checked by the test"], capture_output=True, text=True)
        out["approve"] = {"status": approve.returncode, "stderr": approve.stderr}
        out["outcome"] = result_json(await session.call_tool("updateLead", {"pendingAction": reference}))
        out["again"] = result_json(await session.call_tool("updateLead", {"pendingAction": reference}))
        out["afterApproval"] = sandbox("/api/v2/agent/leads/" + lead["id"])["status"]
    elif name == "hostile":
        out["unknown"] = result_json(await session.call_tool("dropAllLeads", {}))
        out["hugeName"] = result_json(await session.call_tool("x" * 100_000, {}))
        out["wrongType"] = result_json(await session.call_tool("listLeads", {"limit": "many", "status": "sideways"}))
        out["extra"] = result_json(await session.call_tool("getLead", {"id": "lead_1", "__proto__": {"admin": True}}))
        out["oversized"] = result_json(await session.call_tool("listLeads", {"search": "A" * 300_000}))
        try:
            await session.send_request(types.CallToolRequest(params=types.CallToolRequestParams(name="listLeads", arguments=None)), types.CallToolResult)
            out["noArguments"] = "answered"
        except Exception as error:  # an MCP error is an answer too; only a dead server is not
            out["noArguments"] = "error: " + type(error).__name__
        flood = await asyncio.gather(*[session.call_tool("getWorkspace", {}) for _ in range(40)])
        out["flood"] = [result_json(r) for r in flood]
        out["afterFlood"] = len((await session.list_tools()).tools)
    return out


async def main():
    name, transport, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    person = Person(os.environ.get("ELICIT", ""))
    callback = None if name == "noelicit" else person
    info = types.Implementation(name="konektor-test-client", version="1.2.3")
    if transport == "stdio":
        base = os.environ["KONEKTOR_TRANSCRIPT"]
        command = "tee -a {} | {} mcp {} | tee -a {}".format(shlex.quote(base + ".in"), shlex.quote(os.environ["KONEKTOR_BIN"]),
                                                          " ".join(shlex.quote(a) for a in rest), shlex.quote(base + ".out"))
        params = StdioServerParameters(command="/bin/sh", args=["-c", command], env=dict(os.environ))
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write, elicitation_callback=callback, client_info=info) as session:
                await session.initialize()
                out = await scenario(name, session, person)
    else:
        url, token_file = rest
        token = open(token_file).read().strip()
        async with create_mcp_http_client(headers={"Authorization": "Bearer " + token}) as http:
            async with streamable_http_client(url, http_client=http) as (read, write):
                async with ClientSession(read, write, elicitation_callback=callback, client_info=info) as session:
                    await session.initialize()
                    out = await scenario(name, session, person)
    out["asked"] = person.asked
    print(json.dumps(out))


asyncio.run(main())
