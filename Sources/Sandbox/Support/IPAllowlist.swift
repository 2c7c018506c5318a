/// Whether an address matches an allowlist entry: an exact address or an IPv4 CIDR block.
enum IPAllowlist {
    static func allows(_ address: String, entries: [String]) -> Bool {
        entries.contains { matches(address, $0) }
    }

    static func matches(_ address: String, _ entry: String) -> Bool {
        let normalised = address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address
        guard let slash = entry.firstIndex(of: "/") else { return normalised == entry }
        guard let bits = Int(entry[entry.index(after: slash)...]), (0...32).contains(bits),
            let network = ipv4(String(entry[..<slash])), let value = ipv4(normalised)
        else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return value & mask == network & mask
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }
}
