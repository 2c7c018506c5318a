import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage and the peer's address.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address, for key allowlists and unauthenticated throttling.
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
