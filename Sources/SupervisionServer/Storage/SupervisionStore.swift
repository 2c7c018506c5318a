import Approvals
import Crypto
import Foundation

/// Where the server keeps runs, actions, tokens, events and its decision key; SQLite or PostgreSQL.
///
/// Every state change is one transaction that reads the row, applies an
/// ``ActionRules`` function and writes the result with a conditional update
/// (`… WHERE state = <the state read>`), so two servers on one database never
/// both win.
public protocol SupervisionStore: Sendable {
    /// Creates the tables when missing.
    func migrate() async throws

    func createToken(_ token: TokenRecord) async throws
    func token(hash: String) async throws -> TokenRecord?
    func tokens() async throws -> [TokenRecord]
    /// Revokes the named token; false when no active token has that name.
    func revokeToken(name: String, at: Date) async throws -> Bool

    func createRun(_ run: RunRecord) async throws
    func run(id: String) async throws -> RunRecord?
    func runs(_ filter: RunFilter) async throws -> [RunRecord]
    /// The run without its actions: what a request needs to check ownership, whatever the run's size.
    func runHeader(id: String) async throws -> RunRecord?
    /// One action of a run, read by its primary key.
    func action(run: String, index: Int) async throws -> StoredAction?

    /// Adds an action to a run, numbered after its last; refuses with 429 when the run's session already has `maxPending` waiting.
    func appendAction(run: String, maxPending: Int, now: Date, _ make: @Sendable (Int) -> PendingAction) async throws -> StoredAction

    /// Applies `change` to one action in a transaction and writes its result conditionally.
    func transition(run: String, index: Int, _ change: @Sendable (StoredAction) -> ActionTransition) async throws -> StoredAction

    /// Marks every waiting action past its expiry as expired (with events); returns how many.
    ///
    /// An indexed read first checks whether any is due, so the common case takes no write lock.
    func expireDue(now: Date) async throws -> Int

    func appendEvent(_ event: ServerEvent) async throws
    func events(after seq: Int64, limit: Int) async throws -> [ServerEvent]

    /// The Ed25519 decision key, made on first use and kept with the database.
    func decisionKey() async throws -> Curve25519.Signing.PrivateKey

    func close() async
}
