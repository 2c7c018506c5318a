// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "konektor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "konektor", targets: ["konektor"]),
        .executable(name: "konektor-mcp", targets: ["konektor-mcp"]),
        .library(name: "SkillCatalog", targets: ["SkillCatalog"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "KonektorKit", targets: ["KonektorKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // MARK: Model — value types shared by every layer; no I/O.
        .target(name: "AgentCore"),

        // MARK: Pure logic — no I/O.
        // SKILL.md text → Catalog + diagnostics; validation; JSON Schema / OpenAPI / tool renderings.
        .target(name: "SkillCatalog", dependencies: ["AgentCore"]),
        // Policy documents (YAML text → value + diagnostics), decisions naming their rule, redaction.
        .target(name: "AgentPolicy", dependencies: ["AgentCore", "SkillCatalog", .product(name: "Yams", package: "Yams")]),

        // MARK: Adapters — network, disk.
        // Append-only hash-chained JSONL with signed checkpoints; verify, query, export.
        .target(
            name: "AuditLog",
            dependencies: ["AgentCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The one shared HTTP client: auth, HTTPS rule, retries, rate limits, the error envelope.
        .target(
            name: "KonektorClient",
            dependencies: [
                "AgentCore",
                "SkillCatalog",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Konektor-compatible local server (Hummingbird + SQLite) with a seeded demo workspace.
        .target(
            name: "Sandbox",
            dependencies: [
                "AgentCore",
                "SkillCatalog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // libedit, through a shim of fixed-argument C functions.
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // The REPL's line input: history, completion, Ctrl-C/Ctrl-D; plain lines when stdin is no TTY.
        .target(name: "LineEditor", dependencies: ["CLibEdit"]),

        // Approvals: pending actions in SQLite, sealed, decided once and run once across processes.
        .target(
            name: "Approvals",
            dependencies: [
                "AgentCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Planners: the built-in offline planner, the OpenAI-compatible and Anthropic tool-calling backends, scripted replay.
        .target(
            name: "Planners",
            dependencies: [
                "AgentCore", "SkillCatalog",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // The lexicon is compiled in by scripts/bundle-lexicon (BundledLexicon.swift); the JSON is its source.
            exclude: ["Builtin/Data"]
        ),

        // Supervision server: runs, actions, tokens and events over SQLite or PostgreSQL; the approvers' API and web page; signed decisions.
        .target(
            name: "SupervisionServer",
            dependencies: [
                "AgentCore", "Approvals", "AuditLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Wiring
        // The turn loop over the seams: planner → gate → confirmer → client → audit.
        .target(
            name: "AgentRuntime",
            dependencies: ["AgentCore", "SkillCatalog", "AgentPolicy", "AuditLog", "KonektorClient", "Approvals",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),

        // The runtime's side of the supervision protocol: an ApprovalBackend over `konektor server`, with the decision key pinned.
        .target(
            name: "SupervisionClient",
            dependencies: [
                "AgentCore", "Approvals",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Session wiring shared by the CLI, the supervision server, the MCP server and the tests:
        // config, planner choice, SKILL.md source and pin, policy loading, audit and approvals stores, session start and end.
        .target(
            name: "KonektorKit",
            dependencies: [
                "AgentCore", "SkillCatalog", "AgentPolicy", "AgentRuntime", "AuditLog", "KonektorClient", "Approvals", "Planners", "Sandbox",
                "SupervisionClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // `konektor mcp`: the policy-offered tools over the Model Context Protocol (stdio, streamable HTTP), confirmations by elicitation.
        .target(
            name: "KonektorMCP",
            dependencies: [
                "AgentCore", "SkillCatalog", "AgentPolicy", "AgentRuntime", "Approvals",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // ArgumentParser commands.
        .target(
            name: "KonektorCLI",
            dependencies: [
                "KonektorKit",
                "AgentCore",
                "SkillCatalog",
                "AgentPolicy",
                "AgentRuntime",
                "AuditLog",
                "KonektorClient",
                "LineEditor",
                "Planners",
                "Sandbox",
                "SupervisionServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),

        // MARK: Entry — the `konektor` executable; Entrypoint.swift only.
        // A release binary carries the Swift runtime and Foundation itself, is not position-independent and exports no
        // symbols: a one-shot `ask` then starts without resolving a dozen Swift libraries, 200k relocations and a 60k-symbol
        // table (`bench ask`). Debug builds stay dynamic; they link faster.
        .executableTarget(
            name: "konektor", dependencies: ["KonektorCLI"],
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-no-pie"], .when(configuration: .release))]
        ),
        // `konektor mcp` runs this program beside it. Apart, because the MCP SDK brings URLSession, so libcurl and some thirty
        // shared libraries that every `ask` would load and relocate at start-up, and a ninth of the binary's protocol
        // conformances, which the runtime scans on each first type lookup.
        .target(
            name: "KonektorMCPCommands",
            dependencies: [
                "KonektorCLI", "KonektorKit", "KonektorMCP", "AgentCore", "AgentRuntime", "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "konektor-mcp", dependencies: ["KonektorMCPCommands"],
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-no-pie"], .when(configuration: .release))]
        ),

        // MARK: Tests
        // Fixtures shared by every test target (SKILL.md shapes, golden files, a sandbox, a terminal, a model provider's server).
        .target(
            name: "TestSupport",
            dependencies: [
                "AgentCore", "SkillCatalog", "Sandbox", "AgentPolicy", "AgentRuntime", "AuditLog", "KonektorClient", "Planners", "KonektorKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "AgentCoreTests", dependencies: ["AgentCore"]),
        .testTarget(name: "SkillCatalogTests", dependencies: ["SkillCatalog", "TestSupport"]),
        .testTarget(name: "AgentPolicyTests", dependencies: ["AgentPolicy", "SkillCatalog", "TestSupport"]),
        .testTarget(name: "AuditLogTests", dependencies: ["AuditLog", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "AgentRuntimeTests",
            dependencies: ["AgentRuntime", "Approvals", "AuditLog", "KonektorClient", "KonektorKit", "Planners", "Sandbox", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "SupervisionClientTests", dependencies: ["SupervisionClient", "AgentCore", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "KonektorCLITests",
            dependencies: ["AgentCore", "KonektorCLI", "KonektorKit", "Approvals", "AuditLog", "KonektorClient", "LineEditor", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "ApprovalsTests", dependencies: ["Approvals", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "SupervisionServerTests",
            dependencies: [
                "SupervisionServer", "Approvals", "AuditLog", "AgentCore", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "KonektorMCPTests",
            dependencies: [
                "KonektorMCP", "AgentCore", "AgentPolicy", "AgentRuntime", "Approvals", "AuditLog", "Planners", "Sandbox", "TestSupport",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            exclude: ["Clients"]
        ),
        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor"]),
        .testTarget(name: "PlannersTests", dependencies: ["Planners", "AgentRuntime", "AgentPolicy", "AuditLog", "SkillCatalog", "TestSupport"]),
        .testTarget(name: "KonektorClientTests", dependencies: ["KonektorClient", "SkillCatalog", "Sandbox", "TestSupport"]),
        .testTarget(
            name: "SandboxTests",
            dependencies: [
                "Sandbox", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ]
)
