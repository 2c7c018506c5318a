// Generated from Policies/*.yaml by scripts/bundle-policies; a test keeps them equal.

/// The policy profiles compiled into the binary, by name.
public enum ShippedPolicies {
    public static let all: [(name: String, text: String)] = [
        ("analyst", #"""
# For people who only ask questions: nothing can be written, and the planner
# never sees a lead's email, phone or last name.
name: analyst
description: Read-only; the planner never sees email, phone or last name.
extends: default
scopes:
  allow: [agent.leads.read, agent.analytics.read, agent.conversions.read, agent.workspace.read]
writes: deny
unattendedWrites: false
redact: [email, phone, lastName]
limits:
  maxPageSize: 50
# Email and phone are hidden from the planner, and the API's search matches
# them too: only whole lead codes and names may be searched, so a search cannot
# reveal a hidden value a character at a time.
search:
  allow: [code, name]
"""#),
        ("auditor", #"""
# For security reviewers: no API access at all, only the audit commands.
name: auditor
description: No API access; audit commands only.
extends: default
scopes:
  allow: []
tools:
  allow: []
reads: deny
writes: deny
unattendedWrites: false
"""#),
        ("default", #"""
# The default profile: every read runs; every write shows the exact call and
# asks the person first. `--yes` may approve writes when no one is at a terminal.
name: default
description: All reads allowed; writes need confirmation.
scopes:
  allow: "*"
tools:
  allow: "*"
reads: allow
writes: confirm
unattendedWrites: true
hashInAudit: [email, phone, firstName, lastName, notes]
limits:
  callsPerTurn: 8
  writesPerSession: 50
  maxPageSize: 100
"""#),
        ("supervised", #"""
# For agent sessions that run unattended: every write waits for a person's
# approval, closing a deal is reserved for the supervisor profile, and a
# session may queue at most 20 writes.
name: supervised
description: Writes need a person's approval; only a supervisor may close deals; at most 20 writes a session.
extends: default
writes: approve
unattendedWrites: false
rules:
  - name: closing-deals-needs-supervisor
    tools: "*"
    access: write
    when:
      status: [won, lost]
    has: [actualValue]
    decision: deny
    reason: Only the supervisor profile may set a lead to won or lost or record its actual value.
limits:
  writesPerSession: 20
"""#),
        ("supervisor", #"""
# A supervisor's profile: as supervised, but deals may be closed (each still
# waits for approval).
name: supervisor
description: As supervised, but may set won/lost and actualValue (with approval).
extends: supervised
rules:
  - name: closing-deals-needs-supervisor
    tools: "*"
    access: write
    when:
      status: [won, lost]
    has: [actualValue]
    decision: approve
    reason: A supervisor may close deals; each one still waits for approval.
"""#),
    ]
}
